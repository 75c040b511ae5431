from django.apps import AppConfig
from django.core import checks

from realisa.audit.keys import missing_key_check


class AuditConfig(AppConfig):
    verbose_name = "Journal"
    name = "realisa.audit"
    label = "audit"

    def ready(self) -> None:
        checks.register(missing_key_check, checks.Tags.security)
