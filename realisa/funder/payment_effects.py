"""What a payment does to the months it covers, said before and after it is recorded.

- **Its period, within the training.** A payment system pays by calendar month: its period
  may start on the 1st when the training starts on the 5th, or end after the training.
  ``payments.clip`` brings the period back to the training's dates (a period that touches
  no day of the training is refused), and ``clip_note`` says so.
- **Months whose hours are not certified yet.** A payment that is not an advance locks
  the entry of the months it covers (``certificates.status``). Hours already entered can
  still be certified, but no longer corrected; hours contested by the beneficiary can no
  longer be corrected by the organisation. ``unsettled`` names those months: the form asks
  the agent to confirm, and the CSV import and the API report them as a row's warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier, Payment
from realisa.dossiers.periods import training_months
from realisa.funder.payments import PaymentData

UNSETTLED = (MonthStatus.ENTERED, MonthStatus.CONTESTED)


def clip_note(typed: PaymentData, stored: PaymentData) -> str:
    """« Période ramenée à la formation : … » when ``clip`` changed the typed period."""
    if (typed.period_start, typed.period_end) == (stored.period_start, stored.period_end):
        return ""
    return (
        f"Période ramenée aux dates de la formation : du {stored.period_start:%d/%m/%Y} "
        f"au {stored.period_end:%d/%m/%Y}."
    )


@dataclass(frozen=True)
class Unsettled:
    """A month covered by the payment whose hours are entered or contested, not certified."""

    month: date
    status: MonthStatus

    @property
    def key(self) -> str:
        return f"{self.month:%Y-%m}"


def unsettled(dossier: Dossier, data: PaymentData) -> list[Unsettled]:
    """The months ``data`` would lock whose hours are entered or contested, in order."""
    if data.is_advance:
        return []
    covered = [
        period.month
        for period in training_months(dossier.start_date, dossier.end_date)
        if period.overlaps(data.period_start, data.period_end)
    ]
    rows = Certificate.objects.filter(dossier=dossier, month__in=covered, status__in=UNSETTLED)
    pairs = rows.order_by("month").values_list("month", "status")
    return [Unsettled(month, MonthStatus(status)) for month, status in pairs]


def _months(months: list[Unsettled]) -> str:
    return ", ".join(date_format(m.month, "F Y") for m in months)


def unsettled_warning(months: list[Unsettled]) -> str:
    """What the agent reads before recording a payment over ``months``; "" when none."""
    entered = [m for m in months if m.status == MonthStatus.ENTERED]
    contested = [m for m in months if m.status == MonthStatus.CONTESTED]
    parts = []
    if entered:
        parts.append(
            f"Des heures saisies ne sont pas encore certifiées ({_months(entered)}) : "
            "ce règlement en verrouille la saisie. L'organisme pourra les certifier, "
            "mais plus les corriger."
        )
    if contested:
        parts.append(
            f"Des heures sont contestées par le bénéficiaire ({_months(contested)}) : "
            "ce règlement empêche l'organisme de les corriger."
        )
    return " ".join(parts)


def data_of(payment: Payment) -> PaymentData:
    return PaymentData(
        payment.period_start,
        payment.period_end,
        payment.amount,
        payment.paid_on,
        payment.is_advance,
    )


def warnings(dossier: Dossier, typed: PaymentData, payment: Payment) -> list[str]:
    """What a row of the CSV import or of the API says beside its recorded ``payment``."""
    stored = data_of(payment)
    notes = [clip_note(typed, stored), unsettled_warning(unsettled(dossier, stored))]
    return [note for note in notes if note]
