"""The months of a dossier as the « Certificats de réalisation » tab lists them.

Two queries whatever the training's length: the dossier's payments, and its certificates
with the person who entered the hours and the number of the latest PDF version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from realisa.certificates.models import Certificate
from realisa.certificates.months import PaidPeriod, month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod, training_months
from realisa.lib.french import of_month

# A month contested by its beneficiary (certification 2) opens again: the organisation
# corrects the hours, which makes it `entered`, and certifies again.
ENTRY_STATUSES = frozenset({MonthStatus.AWAITING_ENTRY, MonthStatus.ENTERED, MonthStatus.CONTESTED})


@dataclass(frozen=True)
class MonthRow:
    """One month of the table. ``certificate`` is None until hours are entered; it comes
    with ``entered_by`` and ``latest_version`` (its latest PDF's number, None before the
    first)."""

    period: MonthPeriod
    status: MonthStatus
    certificate: Certificate | None

    @property
    def entry_allowed(self) -> bool:
        return self.status in ENTRY_STATUSES

    @property
    def of_month(self) -> str:
        """« de mars 2026 », « d'avril 2026 »."""
        return of_month(self.period.month)


def month_rows(dossier: Dossier, today: date) -> list[MonthRow]:
    """Every month of the dossier with its status, its certificate and its latest PDF
    version's number."""
    payments = [
        PaidPeriod(p.period_start, p.period_end, p.is_advance) for p in dossier.payments.all()
    ]
    certificates = {
        certificate.month: certificate
        for certificate in Certificate.objects.filter(dossier=dossier)
        .select_related("entered_by")
        .annotate(latest_version=Max("versions__number"))
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
