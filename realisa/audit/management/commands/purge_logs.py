from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from realisa.audit.retention import purge_connection_events
from realisa.lib.french import plural, plural_form


class Command(BaseCommand):
    help = (
        "Supprime les événements de connexion de plus de 12 mois "
        "(CONNECTION_LOG_RETENTION_DAYS). Le journal chaîné des preuves n'est jamais purgé."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_connection_events(timezone.now())
        self.stdout.write(
            f"{plural(deleted, 'événement de connexion', 'événements de connexion')} "
            f"{plural_form(deleted, 'supprimé')}. "
            "Les preuves de certification sont conservées."
        )
