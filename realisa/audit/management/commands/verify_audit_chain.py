from typing import Any

from django.core.management.base import BaseCommand, CommandError

from realisa.audit.log import first_broken_event
from realisa.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne du journal : signale le premier événement modifié, inséré ou "
        "supprimé, et sort alors avec un code non nul."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_event()
        if broken is not None:
            where = f"n° {broken.pk}" if broken.pk else "en fin de chaîne"
            raise CommandError(
                f"Chaîne rompue à l'événement {where} ({broken.action}, "
                f"{broken.created_at:%Y-%m-%d %H:%M:%S} UTC) : il a été modifié, inséré, "
                "ou un événement qui le précède a été supprimé."
            )
        self.stdout.write(f"Chaîne intacte : {AuditEvent.objects.count()} événement(s) vérifié(s).")
