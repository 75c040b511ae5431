"""The months of a dossier as the « Certificats de réalisation » tab lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from realisa.certificates.models import Certificate
from realisa.certificates.months import MonthPeriod, PaidPeriod, month_status, training_months
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier

# A month contested by its beneficiary (certification 2) opens again: the organisation
# corrects the hours, which makes it `entered`, and certifies again.
ENTRY_STATUSES = frozenset({MonthStatus.AWAITING_ENTRY, MonthStatus.ENTERED, MonthStatus.CONTESTED})


@dataclass(frozen=True)
class MonthRow:
    period: MonthPeriod
    status: MonthStatus
    certificate: Certificate | None

    @property
    def entry_allowed(self) -> bool:
        return self.status in ENTRY_STATUSES


def month_rows(dossier: Dossier, today: date) -> list[MonthRow]:
    """Every month of the dossier with its status; two queries whatever the length."""
    payments = [
        PaidPeriod(p.period_start, p.period_end, p.is_advance) for p in dossier.payments.all()
    ]
    certificates = {
        c.month: c
        for c in Certificate.objects.filter(dossier=dossier)
        .select_related("entered_by")
        .prefetch_related("versions")
    }
    rows = []
    for period in training_months(dossier.start_date, dossier.end_date):
        certificate = certificates.get(period.month)
        status = month_status(
            period,
            today=today,
            payments=payments,
            stored=certificate.status if certificate else None,
        )
        rows.append(MonthRow(period, status, certificate))
    return rows
