from typing import Any

from django.core.management.base import BaseCommand

from realisa.notifications.models import OutboxEmail
from realisa.notifications.outbox import send_due


class Command(BaseCommand):
    help = "Envoie les e-mails en attente dont l'heure est venue (reprise après une panne SMTP)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due()
        pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
        self.stdout.write(f"{sent} e-mail(s) envoyé(s), {pending} en attente.")
