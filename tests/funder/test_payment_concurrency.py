"""The payment system sends the same reference twice at the same instant (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import connection

from realisa.audit.log import first_broken_event
from realisa.dossiers.models import Dossier, Payment
from realisa.funder.payments import PaymentData, PaymentRefused, upsert_payment
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World

pytestmark = CONCURRENT_ON_POSTGRESQL
FEBRUARY = PaymentData(
    date(2026, 2, 1), date(2026, 2, 28), Decimal("1200.00"), date(2026, 3, 20), False
)


def at_once(world: World, dossiers: list[Dossier]) -> list[str]:
    """Each dossier's upsert of « VIR-001 », all started together: their outcomes or
    refusals."""
    barrier = threading.Barrier(len(dossiers))
    results: list[str] = []

    def send(dossier: Dossier) -> Callable[[], None]:
        def run() -> None:
            try:
                barrier.wait(timeout=10)
                _, outcome = upsert_payment(dossier, FEBRUARY, "VIR-001", actor=world.agent)
                results.append(outcome)
            except PaymentRefused as refused:
                results.append(refused.message)
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=send(dossier)) for dossier in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def test_a_retry_racing_its_first_call_records_one_payment(world: World) -> None:
    results = at_once(world, [world.dossier] * 4)
    assert results == ["created", "unchanged", "unchanged", "unchanged"]
    assert Payment.objects.get().external_reference == "VIR-001"
    assert first_broken_event() is None


def test_one_reference_sent_for_two_dossiers_at_once_goes_to_one(world: World) -> None:
    results = at_once(world, [world.dossier, world.other_dossier])
    payment = Payment.objects.get()
    assert results == [
        f"La référence « VIR-001 » est celle d'un règlement du dossier "
        f"« {payment.dossier.number} » : un règlement ne change pas de dossier.",
        "created",
    ]
    assert first_broken_event() is None
