from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    verbose_name = "Documents"
    name = "realisa.documents"
    label = "documents"
