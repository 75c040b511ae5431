from django.apps import AppConfig


class AccountsConfig(AppConfig):
    verbose_name = "Comptes"
    name = "realisa.accounts"
    label = "accounts"

    def ready(self) -> None:
        from realisa.accounts import security

        security.connect()
