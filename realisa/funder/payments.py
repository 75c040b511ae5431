"""Payments (règlements) and advances, recorded by an agent on a dossier for a period.

A payment that is not an advance locks the months it covers at once: their status is
computed from the payments (``certificates.months``), so recording it is enough. The
dossier's row is locked while recording, as the hours entry locks it: an entry and a
payment on the same dossier never interleave.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils.formats import date_format

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.dossiers.models import Dossier, Payment
from realisa.dossiers.periods import training_months

MAX_AMOUNT = Decimal("100000000")  # Payment.amount: 10 digits, 2 decimals


class PaymentRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PaymentData:
    """A payment as typed, named as ``Payment``'s fields."""

    period_start: date
    period_end: date
    amount: Decimal
    paid_on: date
    is_advance: bool

    def fields(self) -> dict[str, object]:
        return asdict(self)


def check_payment(dossier: Dossier, data: PaymentData) -> None:
    """Raise ``PaymentRefused`` with the French reason when ``data`` cannot be recorded."""
    if data.period_end < data.period_start:
        raise PaymentRefused("La fin de la période précède son début.")
    if data.period_start < dossier.start_date or data.period_end > dossier.end_date:
        raise PaymentRefused(
            f"La période doit être comprise dans la formation, du "
            f"{dossier.start_date:%d/%m/%Y} au {dossier.end_date:%d/%m/%Y}."
        )
    if data.amount <= 0:
        raise PaymentRefused("Le montant doit être supérieur à zéro.")
    if data.amount >= MAX_AMOUNT:
        raise PaymentRefused("Le montant dépasse 99 999 999,99 €.")
    if data.amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PaymentRefused("Le montant a au plus deux décimales.")
    if Payment.objects.filter(dossier=dossier, **data.fields()).exists():
        raise PaymentRefused("Ce règlement est déjà enregistré sur ce dossier.")


def covered_months(dossier: Dossier, payment: Payment) -> list[date]:
    return [
        period.month
        for period in training_months(dossier.start_date, dossier.end_date)
        if period.overlaps(payment.period_start, payment.period_end)
    ]


def locked_dossier(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def save_payment(
    dossier: Dossier, data: PaymentData, *, actor: User, request: HttpRequest | None
) -> Payment:
    """Check and store one payment; the caller holds the dossier's lock."""
    check_payment(dossier, data)
    payment = Payment.objects.create(dossier=dossier, **data.fields())
    record(
        EventType.PAYMENT_RECORDED,
        actor=actor,
        obj=payment,
        payload={
            "dossier": dossier.number,
            "period_start": data.period_start.isoformat(),
            "period_end": data.period_end.isoformat(),
            "amount": str(data.amount),
            "paid_on": data.paid_on.isoformat(),
            "is_advance": data.is_advance,
            "locks": []
            if data.is_advance
            else [f"{m:%Y-%m}" for m in covered_months(dossier, payment)],
        },
        request=request,
    )
    return payment


def record_payment(
    dossier: Dossier, data: PaymentData, *, actor: User, request: HttpRequest | None = None
) -> Payment:
    """Record a payment or an advance on ``dossier``."""
    with transaction.atomic():
        return save_payment(locked_dossier(dossier), data, actor=actor, request=request)


def payment_summary(dossier: Dossier, payment: Payment) -> str:
    """What the agent reads once the payment is recorded."""
    kind = "Avance enregistrée" if payment.is_advance else "Règlement enregistré"
    if payment.is_advance:
        return f"{kind} : une avance ne verrouille pas la saisie."
    months = ", ".join(date_format(m, "F Y") for m in covered_months(dossier, payment))
    return f"{kind} : la saisie est désormais verrouillée pour {months}."
