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
from realisa.funder.payments import (
    PaymentData,
    PaymentRefused,
    check_payment,
    record_payment,
    upsert_payment,
)
from tests.conftest import World
from tests.funder.conftest import FEBRUARY, MARCH

TODAY = date(2026, 4, 15)


def february(is_advance: bool = False, amount: str = "1200.00") -> PaymentData:
    return PaymentData(
        date(2026, 2, 1), date(2026, 2, 28), Decimal(amount), date(2026, 3, 20), is_advance
    )


def march() -> PaymentData:
    return PaymentData(
        date(2026, 3, 1), date(2026, 3, 31), Decimal("900.00"), date(2026, 4, 20), False
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
            PaymentData(date(2025, 11, 1), date(2025, 12, 31), Decimal(1), date(2026, 3, 1), False),
            "ne recouvre aucun jour de la formation",
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
    assert "La période ne recouvre aucun jour de la formation" in page
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


def test_check_payment_ignores_the_payment_it_corrects(world: World) -> None:
    payment = record_payment(world.dossier, february(), actor=world.agent)
    check_payment(world.dossier, february(), replacing=payment)
    with pytest.raises(PaymentRefused, match="déjà enregistré"):
        check_payment(world.dossier, february())


def test_a_new_reference_records_its_payment(world: World) -> None:
    payment, outcome = upsert_payment(world.dossier, february(), "VIR-2026-001", actor=world.agent)
    assert outcome == "created"
    stored = Payment.objects.get()
    assert (stored.pk, stored.external_reference, stored.amount) == (
        payment.pk,
        "VIR-2026-001",
        Decimal("1200.00"),
    )
    event = AuditEvent.objects.get(action="payment.recorded")
    assert event.payload["reference"] == "VIR-2026-001"
    assert event.payload["locks"] == ["2026-02"]
    assert status(world, FEBRUARY) == MonthStatus.LOCKED


def test_the_same_payment_sent_again_writes_nothing(world: World) -> None:
    first, _ = upsert_payment(world.dossier, february(), "VIR-2026-001", actor=world.agent)
    events = AuditEvent.objects.count()
    again, outcome = upsert_payment(world.dossier, february(), "VIR-2026-001", actor=world.agent)
    assert (outcome, again.pk) == ("unchanged", first.pk)
    assert Payment.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_corrected_payment_is_updated_and_its_changes_journalled(
    world: World, agent_client: Client
) -> None:
    first, _ = upsert_payment(world.dossier, february(), "VIR-2026-001", actor=world.agent)
    corrected = february(is_advance=True, amount="1250.00")
    payment, outcome = upsert_payment(world.dossier, corrected, "VIR-2026-001", actor=world.agent)
    assert (outcome, payment.pk) == ("updated", first.pk)
    stored = Payment.objects.get()
    assert (stored.amount, stored.is_advance) == (Decimal("1250.00"), True)
    assert status(world, FEBRUARY) == MonthStatus.AWAITING_ENTRY  # an advance locks nothing
    event = AuditEvent.objects.get(action="payment.updated")
    assert event.actor == world.agent
    assert event.payload == {
        "dossier": world.dossier.number,
        "reference": "VIR-2026-001",
        "changes": {"amount": ["1200.00", "1250.00"], "is_advance": [False, True]},
        "locks": [],
    }
    trail = agent_client.get(reverse("funder:audit_dossier", args=[world.dossier.number]))
    assert "Règlement modifié" in unescape(trail.content.decode())


def test_a_reference_of_another_dossier_is_refused(world: World) -> None:
    upsert_payment(world.other_dossier, february(), "VIR-2026-001", actor=world.agent)
    with pytest.raises(PaymentRefused) as refused:
        upsert_payment(world.dossier, february(), "VIR-2026-001", actor=world.agent)
    assert refused.value.message == (
        f"La référence « VIR-2026-001 » est celle d'un règlement du dossier "
        f"« {world.other_dossier.number} » : un règlement ne change pas de dossier."
    )
    assert list(Payment.objects.values_list("dossier", "amount")) == [
        (world.other_dossier.pk, Decimal("1200.00"))
    ]


def test_a_correction_is_checked_as_a_payment_is(world: World) -> None:
    upsert_payment(world.dossier, february(), "VIR-2026-001", actor=world.agent)
    record_payment(world.dossier, march(), actor=world.agent)
    with pytest.raises(PaymentRefused, match="déjà enregistré sur ce dossier"):
        upsert_payment(world.dossier, march(), "VIR-2026-001", actor=world.agent)
    outside = PaymentData(date(2025, 2, 1), date(2025, 2, 28), Decimal(1), date(2026, 3, 1), False)
    with pytest.raises(PaymentRefused, match="ne recouvre aucun jour"):
        upsert_payment(world.dossier, outside, "VIR-2026-001", actor=world.agent)
    assert Payment.objects.get(external_reference="VIR-2026-001").period_start == date(2026, 2, 1)
    assert not AuditEvent.objects.filter(action="payment.updated").exists()


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("   ", "La référence du règlement manque."),
        ("R" * 61, "La référence du règlement a au plus 60 caractères."),
    ],
)
def test_a_reference_blank_or_too_long_is_refused(
    world: World, reference: str, message: str
) -> None:
    with pytest.raises(PaymentRefused) as refused:
        upsert_payment(world.dossier, february(), reference, actor=world.agent)
    assert refused.value.message == message
    assert not Payment.objects.exists()
