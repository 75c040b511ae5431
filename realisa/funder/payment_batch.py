"""A batch of payments sent by the funder's payment system, each keyed by its reference.

Unlike the CSV import (all or nothing, for an agent who corrects the file), each row stands
alone: it is upserted in its own transaction, its dossier's row locked (``upsert_payment``),
and a refused row says why without holding back the others. A recorded row may carry
warnings (``payment_effects``): its period clipped to the training, months whose hours
were not certified yet. The system sends the batch
again after a timeout, or every night whole: a payment already recorded as sent comes back
« unchanged », and nothing is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.dossiers.models import Dossier, Payment
from realisa.funder.payment_effects import warnings
from realisa.funder.payments import (
    Outcome,
    PaymentData,
    PaymentRefused,
    no_such_dossier,
    upsert_payment,
)

MAX_ROWS = 500


@dataclass(frozen=True)
class PaymentRow:
    number: str
    reference: str
    data: PaymentData


@dataclass(frozen=True)
class RowResult:
    row: PaymentRow
    outcome: Outcome | Literal["refused"]
    payment: Payment | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # ``payment_effects.warnings``


def upsert_row(
    row: PaymentRow, dossier: Dossier | None, *, actor: User, request: HttpRequest | None
) -> RowResult:
    try:
        if dossier is None:
            raise no_such_dossier(row.number)
        payment, outcome = upsert_payment(
            dossier, row.data, row.reference, actor=actor, request=request
        )
    except PaymentRefused as error:
        return RowResult(row, "refused", errors=[error.message])
    notes = [] if outcome == "unchanged" else warnings(dossier, row.data, payment)
    return RowResult(row, outcome, payment, warnings=notes)


def upsert_payments(
    rows: list[PaymentRow], *, actor: User, request: HttpRequest | None = None
) -> list[RowResult]:
    """Each row's result, in the rows' order. A reference sent twice in the batch is one
    payment: the second row is refused rather than left to overwrite the first."""
    numbers = {row.number for row in rows}
    dossiers = Dossier.objects.visible_to(actor).in_bulk(numbers, field_name="number")
    results, seen = [], set()
    for row in rows:
        key = row.reference.strip()
        if key in seen:
            message = f"La référence « {key} » figure déjà plus haut dans cet envoi."
            results.append(RowResult(row, "refused", errors=[message]))
            continue
        seen.add(key)
        results.append(upsert_row(row, dossiers.get(row.number), actor=actor, request=request))
    return results
