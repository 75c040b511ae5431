from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from realisa.audit.retention import purge_connection_events


class Command(BaseCommand):
    help = (
        "Supprime les événements de connexion de plus de 12 mois "
        "(CONNECTION_LOG_RETENTION_DAYS). Le journal chaîné des preuves n'est jamais purgé."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_connection_events(timezone.now())
        self.stdout.write(
            f"{deleted} événement(s) de connexion supprimé(s). "
            "Les preuves de certification sont conservées."
        )
