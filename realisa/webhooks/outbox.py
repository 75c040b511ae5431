"""The certificates' events, queued for the webhooks that want them (the outbox).

``emit(event, certificate)`` is called inside the transaction of the change it reports,
once the certificate is saved: it writes one ``WebhookDelivery`` per interested webhook,
so a change and its notification commit (or roll back) together, and asks for each
delivery once the transaction commits (``sending.py`` posts it, with retries).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from realisa.certificates.models import Certificate
from realisa.lib.outbox import deliver_after_commit
from realisa.webhooks.models import Webhook, WebhookDelivery
from realisa.webhooks.tasks import deliver_webhook

EVENTS = (
    "certificate.entered",
    "certificate.certified",
    "certificate.validated",
    "certificate.contested",
    "certificate.reopened",
    "certificate.transmitted",
    "certificate.transmission_cancelled",
)


def payload(
    event: str, certificate: Certificate, delivery_id: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The delivery's body: the month as it stands, and the ``details`` of its event."""
    dossier = certificate.dossier
    return {
        "id": delivery_id,
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "certificate": {
            "id": certificate.pk,
            "dossier": dossier.number,
            "organisation_id": dossier.organisation_id,
            "month": f"{certificate.month:%Y-%m}",
            "status": certificate.status,
            "version": certificate.version,
            "centre_minutes": certificate.centre_minutes,
            "internship_minutes": certificate.internship_minutes,
            "absence_minutes": certificate.absence_minutes,
            "certification_method": certificate.certification_method,
            "validation_kind": certificate.validation_kind,
        },
        **(details or {}),
    }


def interested(event: str, organisation_id: int) -> list[Webhook]:
    webhooks = Webhook.objects.filter(is_active=True).filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    )
    return [w for w in webhooks if event in w.events]


def emit(
    event: str, certificate: Certificate, details: dict[str, Any] | None = None
) -> list[WebhookDelivery]:
    """Queue ``event`` about ``certificate`` for every interested webhook. Call it inside
    the transition's transaction, once the certificate is saved; ``details`` go into the
    body beside the month (a transmission's line)."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    deliveries = []
    for webhook in interested(event, certificate.dossier.organisation_id):
        delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, payload={})
        delivery.payload = payload(event, certificate, f"whd_{delivery.pk}", details)
        delivery.save(update_fields=["payload"])
        deliveries.append(delivery)
    for delivery in deliveries:
        deliver_after_commit(deliver_webhook, delivery.pk)
    return deliveries
