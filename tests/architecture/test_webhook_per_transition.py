"""Every transition of the lifecycle's table is told to the webhooks: walking the table,
each event, applied to a month in each of its starting statuses, queues a delivery of its
webhook event for a webhook that listens to everything."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from realisa.certificates import lifecycle
from realisa.certificates.lifecycle import TABLE, Event
from realisa.certificates.models import BeneficiaryResponse, Certificate
from realisa.choices import BeneficiaryDecision, MonthStatus, Role
from realisa.webhooks.handlers import WEBHOOK_EVENTS
from realisa.webhooks.models import Webhook, WebhookDelivery
from realisa.webhooks.outbox import EVENTS
from tests.factories import CertificateFactory, DossierFactory, UserFactory


def payload(event: Event, certificate: Certificate) -> dict[str, Any]:
    """What the e-mails that follow some events read (their steps always record it)."""
    if event == Event.REOPENED:
        return {"reason": "Heures à revoir", "tell_beneficiary": False}
    if event == Event.CONTESTED:
        user = UserFactory(role=Role.BENEFICIARY)
        response = BeneficiaryResponse.objects.create(
            certificate=certificate, user=user, decision=BeneficiaryDecision.CONTESTED
        )
        return {"response": response.pk, "comment": "Il manque un jour"}
    return {}


CASES = [
    (event, source)
    for event, transition in TABLE.items()
    for source in sorted(transition.sources)
    if source != MonthStatus.AWAITING_ENTRY  # a month without a row: tested below
]


def test_every_transition_has_a_webhook_event() -> None:
    assert {transition.audit for transition in TABLE.values()} <= set(WEBHOOK_EVENTS)
    assert set(WEBHOOK_EVENTS.values()) <= set(EVENTS)


@pytest.mark.django_db
@time_machine.travel(date(2026, 12, 15), tick=False)
@pytest.mark.parametrize(("event", "source"), CASES)
def test_each_transition_queues_its_webhook(event: Event, source: MonthStatus) -> None:
    dossier = DossierFactory(start_date=date(2026, 10, 1), end_date=date(2026, 12, 31))
    Webhook.objects.create(
        organisation=dossier.organisation,
        url="https://exemple.fr/realisa",
        secret="s" * 32,
        events=list(EVENTS),
        created_by=None,
    )
    certificate = CertificateFactory(dossier=dossier, month=date(2026, 10, 1), status=source)
    back = sorted(TABLE[event].returns_to)[0] if TABLE[event].returns_to else None
    locked = lifecycle.locked(certificate)
    lifecycle.apply(locked, event, actor=None, back_to=back, payload=payload(event, locked))
    expected = WEBHOOK_EVENTS[TABLE[event].audit]
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == [expected]
