from django.apps import AppConfig


class AuditConfig(AppConfig):
    verbose_name = "Journal"
    name = "realisa.audit"
    label = "audit"
