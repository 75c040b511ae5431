from django.apps import AppConfig


class FunderConfig(AppConfig):
    verbose_name = "Back-office du financeur"
    name = "realisa.funder"
    label = "funder"
