"""Payments (règlements) and advances, recorded by an agent on a dossier for a period.

A payment that is not an advance locks the months it covers at once: their status is
computed from the payments (``certificates.months``), so recording it is enough. The
dossier's row is locked while recording, as the hours entry locks it: an entry and a
payment on the same dossier never interleave.

A payment from the funder's payment system carries that system's reference
(``Payment.external_reference``): ``upsert_payment`` creates the payment that carries it,
updates it when the system sends it corrected, or leaves it as it is, so sending the same
payment again never records it twice. A payment typed by an agent has no reference.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.formats import date_format

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.dossiers.models import Dossier, Payment
from realisa.dossiers.periods import training_months

MAX_AMOUNT = Decimal("100000000")  # Payment.amount: 10 digits, 2 decimals
MAX_REFERENCE = 60  # Payment.external_reference

Outcome = Literal["created", "updated", "unchanged"]


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


def clip(dossier: Dossier, data: PaymentData) -> PaymentData:
    """``data`` with its period within the training (a payment system pays whole calendar
    months: the training may start on the 5th); refused when it touches none of it."""
    if data.period_end < data.period_start:
        raise PaymentRefused("La fin de la période précède son début.")
    start = max(data.period_start, dossier.start_date)
    end = min(data.period_end, dossier.end_date)
    if start > end:
        raise PaymentRefused(
            f"La période ne recouvre aucun jour de la formation, qui va du "
            f"{dossier.start_date:%d/%m/%Y} au {dossier.end_date:%d/%m/%Y}."
        )
    return replace(data, period_start=start, period_end=end)


def check_payment(
    dossier: Dossier, data: PaymentData, *, replacing: Payment | None = None
) -> PaymentData:
    """The payment to store: ``data`` with its period clipped to the training. Raise
    ``PaymentRefused`` with the French reason when it cannot be recorded (in place of
    ``replacing``, when it corrects that payment)."""
    data = clip(dossier, data)
    if data.amount <= 0:
        raise PaymentRefused("Le montant doit être supérieur à zéro.")
    if data.amount >= MAX_AMOUNT:
        raise PaymentRefused("Le montant dépasse 99 999 999,99 €.")
    if data.amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PaymentRefused("Le montant a au plus deux décimales.")
    same = Payment.objects.filter(dossier=dossier, **data.fields())
    if replacing is not None:
        same = same.exclude(pk=replacing.pk)
    if same.exists():
        raise PaymentRefused("Ce règlement est déjà enregistré sur ce dossier.")
    return data


def no_such_dossier(number: str) -> PaymentRefused:
    """A dossier the agent does not see, named by an import line or an API row."""
    return PaymentRefused(f"Le dossier « {number} » n'existe pas.")


def clean_reference(text: str) -> str:
    reference = text.strip()
    if not reference:
        raise PaymentRefused("La référence du règlement manque.")
    if len(reference) > MAX_REFERENCE:
        raise PaymentRefused(f"La référence du règlement a au plus {MAX_REFERENCE} caractères.")
    return reference


def reference_elsewhere(reference: str, number: str) -> PaymentRefused:
    return PaymentRefused(
        f"La référence « {reference} » est celle d'un règlement du dossier « {number} » : "
        "un règlement ne change pas de dossier."
    )


def covered_months(dossier: Dossier, payment: Payment) -> list[date]:
    return [
        period.month
        for period in training_months(dossier.start_date, dossier.end_date)
        if period.overlaps(payment.period_start, payment.period_end)
    ]


def locked_dossier(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def locks(dossier: Dossier, payment: Payment) -> list[str]:
    """The months whose entry ``payment`` locks, for the journal."""
    return [] if payment.is_advance else [f"{m:%Y-%m}" for m in covered_months(dossier, payment)]


def insert_payment(dossier: Dossier, data: PaymentData, reference: str) -> Payment:
    if not reference:
        return Payment.objects.create(dossier=dossier, **data.fields())
    try:
        # A savepoint: a payment of another dossier (its own lock) may take the reference
        # meanwhile, and the unique index refuses this one without ending the transaction.
        with transaction.atomic():
            return Payment.objects.create(
                dossier=dossier, external_reference=reference, **data.fields()
            )
    except IntegrityError:
        holder = Payment.objects.filter(external_reference=reference).first()
        if holder is None:
            raise
        raise reference_elsewhere(reference, holder.dossier.number) from None


def save_payment(
    dossier: Dossier,
    data: PaymentData,
    *,
    actor: User,
    request: HttpRequest | None,
    reference: str = "",
) -> Payment:
    """Check and store one payment; the caller holds the dossier's lock."""
    data = check_payment(dossier, data)
    payment = insert_payment(dossier, data, reference)
    payload: dict[str, object] = {
        "dossier": dossier.number,
        "period_start": data.period_start.isoformat(),
        "period_end": data.period_end.isoformat(),
        "amount": str(data.amount),
        "paid_on": data.paid_on.isoformat(),
        "is_advance": data.is_advance,
        "locks": locks(dossier, payment),
    }
    if reference:
        payload["reference"] = reference
    record(EventType.PAYMENT_RECORDED, actor=actor, obj=payment, payload=payload, request=request)
    return payment


def journal_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def changes(payment: Payment, data: PaymentData) -> dict[str, list[object]]:
    """Each field ``data`` changes, with its value before and after, as the journal keeps it."""
    return {
        name: [journal_value(getattr(payment, name)), journal_value(value)]
        for name, value in data.fields().items()
        if getattr(payment, name) != value
    }


def update_payment(
    payment: Payment, data: PaymentData, *, actor: User, request: HttpRequest | None
) -> Payment:
    """Check and store the corrected ``payment``; the caller holds its dossier's lock."""
    dossier = payment.dossier
    data = check_payment(dossier, data, replacing=payment)
    changed = changes(payment, data)
    for name, value in data.fields().items():
        setattr(payment, name, value)
    payment.save(update_fields=list(changed))
    record(
        EventType.PAYMENT_UPDATED,
        actor=actor,
        obj=payment,
        payload={
            "dossier": dossier.number,
            "reference": payment.external_reference,
            "changes": changed,
            "locks": locks(dossier, payment),
        },
        request=request,
    )
    return payment


def save_payment_by_reference(
    dossier: Dossier,
    data: PaymentData,
    reference: str,
    *,
    actor: User,
    request: HttpRequest | None,
) -> tuple[Payment, Outcome]:
    """Create, correct or leave as it is the payment that carries ``reference``; the caller
    holds the dossier's lock. Identical, nothing is written and nothing is journalled."""
    reference = clean_reference(reference)
    payment = Payment.objects.filter(external_reference=reference).first()
    if payment is None:
        created = save_payment(dossier, data, actor=actor, request=request, reference=reference)
        return created, "created"
    if payment.dossier_id != dossier.pk:
        raise reference_elsewhere(reference, payment.dossier.number)
    payment.dossier = dossier
    if not changes(payment, clip(dossier, data)):
        return payment, "unchanged"
    return update_payment(payment, data, actor=actor, request=request), "updated"


def record_payment(
    dossier: Dossier, data: PaymentData, *, actor: User, request: HttpRequest | None = None
) -> Payment:
    """Record a payment or an advance on ``dossier``."""
    with transaction.atomic():
        return save_payment(locked_dossier(dossier), data, actor=actor, request=request)


def upsert_payment(
    dossier: Dossier,
    data: PaymentData,
    reference: str,
    *,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[Payment, Outcome]:
    """The payment of the funder's payment system that carries ``reference``, created,
    corrected or unchanged (the outcome says which); sending it again changes nothing."""
    with transaction.atomic():
        return save_payment_by_reference(
            locked_dossier(dossier), data, reference, actor=actor, request=request
        )


def payment_summary(dossier: Dossier, payment: Payment, outcome: Outcome = "created") -> str:
    """What the agent reads once the payment is recorded (or corrected, or sent again)."""
    if outcome == "unchanged":
        return "Ce règlement était déjà enregistré à l'identique : rien n'a changé."
    if payment.is_advance:
        kind = "Avance mise à jour" if outcome == "updated" else "Avance enregistrée"
        return f"{kind} : une avance ne verrouille pas la saisie."
    months = ", ".join(date_format(m, "F Y") for m in covered_months(dossier, payment))
    if outcome == "updated":
        return f"Règlement mis à jour : la saisie est verrouillée pour {months}."
    return f"Règlement enregistré : la saisie est désormais verrouillée pour {months}."
