from django.apps import AppConfig


class DossiersConfig(AppConfig):
    verbose_name = "Dossiers"
    name = "realisa.dossiers"
    label = "dossiers"
