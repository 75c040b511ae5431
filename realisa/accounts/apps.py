from django.apps import AppConfig


class AccountsConfig(AppConfig):
    verbose_name = "Comptes"
    name = "realisa.accounts"
    label = "accounts"

    def ready(self) -> None:
        # The signal handlers import the auth and axes models: only once the apps are ready.
        from realisa.accounts import security

        security.connect()
