from django.apps import AppConfig
from django.core import checks

from realisa.accounts.checks import secret_key_required


class AccountsConfig(AppConfig):
    verbose_name = "Comptes"
    name = "realisa.accounts"
    label = "accounts"

    def ready(self) -> None:
        # The signal handlers import the auth and axes models: only once the apps are ready.
        from realisa.accounts import security

        security.connect()
        checks.register(secret_key_required, checks.Tags.security)
