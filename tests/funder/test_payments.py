"""Payments and advances: recorded by an agent, a payment locks the months it covers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.lifecycle import paid_periods
from realisa.certificates.plan import find_period
from realisa.certificates.status import month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Payment
from realisa.funder.payments import PaymentData, PaymentRefused, record_payment
from tests.conftest import World
from tests.funder.conftest import FEBRUARY, MARCH

TODAY = date(2026, 4, 15)


def february(is_advance: bool = False, amount: str = "1200.00") -> PaymentData:
    return PaymentData(
        date(2026, 2, 1), date(2026, 2, 28), Decimal(amount), date(2026, 3, 20), is_advance
    )


def status(world: World, month: date) -> MonthStatus:
    period = find_period(world.dossier, month)
    assert period is not None
    return month_status(period, today=TODAY, payments=paid_periods(world.dossier), stored=None)


def test_a_payment_locks_the_months_it_covers_at_once(world: World) -> None:
    record_payment(world.dossier, february(), actor=world.agent)
    assert status(world, FEBRUARY) == MonthStatus.LOCKED
    assert status(world, MARCH) == MonthStatus.AWAITING_ENTRY
    event = AuditEvent.objects.get(action="payment.recorded")
    assert event.payload["locks"] == ["2026-02"] and event.actor == world.agent


def test_an_advance_does_not_lock(world: World) -> None:
    record_payment(world.dossier, february(is_advance=True), actor=world.agent)
    assert status(world, FEBRUARY) == MonthStatus.AWAITING_ENTRY


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            PaymentData(date(2026, 3, 1), date(2026, 2, 1), Decimal(1), date(2026, 3, 1), False),
            "précède",
        ),
        (
            PaymentData(date(2025, 12, 1), date(2026, 1, 31), Decimal(1), date(2026, 3, 1), False),
            "comprise dans la formation",
        ),
        (
            PaymentData(date(2026, 2, 1), date(2026, 2, 28), Decimal(0), date(2026, 3, 1), False),
            "supérieur à zéro",
        ),
    ],
)
def test_a_wrong_payment_is_refused_with_its_reason(
    world: World, data: PaymentData, message: str
) -> None:
    with pytest.raises(PaymentRefused, match=message):
        record_payment(world.dossier, data, actor=world.agent)
    assert not Payment.objects.exists()


def test_the_same_payment_is_not_recorded_twice(world: World) -> None:
    record_payment(world.dossier, february(), actor=world.agent)
    with pytest.raises(PaymentRefused, match="déjà enregistré"):
        record_payment(world.dossier, february(), actor=world.agent)
    assert Payment.objects.count() == 1


def test_the_agent_records_a_payment_with_the_form(world: World, agent_client: Client) -> None:
    url = reverse("funder:dossier", args=[world.dossier.number])
    data = {
        "period_start": "2026-02-01",
        "period_end": "2026-02-28",
        "amount": "1200,50",
        "paid_on": "2026-03-20",
    }
    response = agent_client.post(url, data, follow=True)
    assert (
        "Règlement enregistré : la saisie est désormais verrouillée pour février 2026."
        in unescape(response.content.decode())
    )
    payment = Payment.objects.get()
    assert (payment.amount, payment.is_advance) == (Decimal("1200.50"), False)


def test_a_refused_payment_comes_back_with_what_was_typed(
    world: World, agent_client: Client
) -> None:
    url = reverse("funder:dossier", args=[world.dossier.number])
    data = {
        "period_start": "2025-02-01",
        "period_end": "2025-02-28",
        "amount": "99",
        "paid_on": "2026-03-20",
    }
    response = agent_client.post(url, data)
    page = unescape(response.content.decode())
    assert response.status_code == 409
    assert "La période doit être comprise dans la formation" in page
    assert 'value="2025-02-01"' in page
    assert not Payment.objects.exists()


def test_the_organisation_reads_the_seed_message_after_a_payment(world: World) -> None:
    record_payment(world.dossier, february(), actor=world.agent)
    client = Client()
    client.force_login(world.of_user)
    page = unescape(
        client.get(reverse("certificates:dossier", args=[world.dossier.number])).content.decode()
    )
    assert (
        "La saisie n'est plus disponible car des règlements ont été faits dans la période" in page
    )
