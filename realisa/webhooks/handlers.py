"""Which webhook event follows which audit event: each transition of a month's
certificate (``certificates.lifecycle``) is told to the webhooks that want it.

The handler runs in the transaction of the audit event (``audit.events``), so a delivery
is in the outbox exactly when the change it reports has committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from realisa.audit.events import EventType, subscribe
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.webhooks.outbox import emit

WEBHOOK_EVENTS: dict[EventType, str] = {
    EventType.HOURS_ENTERED: "certificate.entered",
    EventType.CERTIFIED: "certificate.certified",
    EventType.VALIDATED: "certificate.validated",
    # Validated all the same: the payload's ``validation_kind`` says by whom.
    EventType.VALIDATED_WITHOUT_ANSWER: "certificate.validated",
    EventType.VALIDATED_BY_AGENT: "certificate.validated",
    EventType.CONTESTED: "certificate.contested",
    EventType.REOPENED: "certificate.reopened",
    EventType.TRANSMITTED: "certificate.transmitted",
    EventType.TRANSMISSION_CANCELLED: "certificate.transmission_cancelled",
}


# What a transmission's event tells of the month's line (``funder.corrections``).
LINE_FACTS = ("line", "type", "corrects", "delta")


@subscribe(*WEBHOOK_EVENTS)
def certificate_changed(event: AuditEvent, obj: models.Model | None, _: Mapping[str, Any]) -> None:
    if not isinstance(obj, Certificate):  # only the lifecycle's events concern webhooks
        return
    emit(WEBHOOK_EVENTS[EventType(event.action)], obj, details(event))


def details(event: AuditEvent) -> dict[str, Any]:
    """What the delivery adds to the month, from its event: for a transmission, the batch
    and the month's line (a correction names the line it corrects and the difference)."""
    if event.action != EventType.TRANSMITTED:
        return {}
    facts = {key: event.payload.get(key) for key in LINE_FACTS}
    return {"transmission": {"id": event.payload.get("transmission"), **facts}}
