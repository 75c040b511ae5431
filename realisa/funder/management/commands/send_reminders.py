from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from realisa.funder.reminders import Outcome, send_reminders
from realisa.lib.french import plural


class Command(BaseCommand):
    help = (
        "Envoie à chaque organisme en retard un récapitulatif de ses mois en attente de saisie "
        "ou de certification (au plus un tous les REMINDER_INTERVAL_DAYS jours)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = send_reminders(timezone.localdate())
        sent = len(outcomes[Outcome.SENT])
        # one e-mail each, in the outbox: only an organisation with an address gets one
        self.stdout.write(f"{plural(sent, 'relance envoyée')}.")
        if outcomes[Outcome.NO_ADDRESS]:
            names = ", ".join(o.name for o in outcomes[Outcome.NO_ADDRESS])
            self.stdout.write(
                f"Sans adresse e-mail, non relancés : {names}. Ajoutez l'adresse de contact "
                "de l'organisme ou un utilisateur actif avec une adresse."
            )
