from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from realisa.funder.reminders import send_reminders
from realisa.lib.french import plural


class Command(BaseCommand):
    help = (
        "Envoie à chaque organisme en retard un récapitulatif de ses mois en attente de saisie "
        "ou de certification (au plus un tous les REMINDER_INTERVAL_DAYS jours)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders(timezone.localdate())
        self.stdout.write(f"{plural(sent, 'relance envoyée')}.")
