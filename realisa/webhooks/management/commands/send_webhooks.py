from typing import Any

from django.core.management.base import BaseCommand

from realisa.lib.french import plural, plural_form
from realisa.webhooks.models import WebhookDelivery
from realisa.webhooks.sending import send_due


class Command(BaseCommand):
    help = (
        "Envoie les webhooks en attente dont l'heure est venue (nouvelle tentative après un "
        "échec, reprise après un arrêt)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due()
        pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).count()
        self.stdout.write(
            f"{plural(sent, 'webhook')} {plural_form(sent, 'envoyé')}, {pending} en attente."
        )
