from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    verbose_name = "Organismes de formation"
    name = "realisa.organisations"
    label = "organisations"
