from django.apps import AppConfig


class AccountsConfig(AppConfig):
    verbose_name = "Comptes"
    name = "realisa.accounts"
    label = "accounts"
