from typing import Any

from django.core.management.base import BaseCommand

from realisa.lib.french import plural, plural_form
from realisa.notifications.models import OutboxEmail
from realisa.notifications.outbox import send_due


class Command(BaseCommand):
    help = "Envoie les e-mails en attente dont l'heure est venue (reprise après une panne SMTP)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due()
        pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
        sent_text = f"{plural(sent, 'e-mail')} {plural_form(sent, 'envoyé')}"
        self.stdout.write(f"{sent_text}, {pending} en attente.")
