"""The months of a dossier as the « Certificats de réalisation » tab lists them.

The tab is the organisation's most visited page, so each row carries its texts and links
ready to print: formatting dates and building URLs in the template, row by row, cost
more than the page's queries (``docs/performance.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from realisa.certificates.models import Certificate
from realisa.certificates.months import MonthPeriod, PaidPeriod, month_status, training_months
from realisa.certificates.plan import of_month
from realisa.choices import MonthStatus
from realisa.documents.french import french_month
from realisa.documents.models import CertificateVersion
from realisa.dossiers.models import Dossier
from realisa.lib.links import link

# A month contested by its beneficiary (certification 2) opens again: the organisation
# corrects the hours, which makes it `entered`, and certifies again.
ENTRY_STATUSES = frozenset({MonthStatus.AWAITING_ENTRY, MonthStatus.ENTERED, MonthStatus.CONTESTED})


@dataclass(frozen=True)
class MonthRow:
    period: MonthPeriod
    status: MonthStatus
    certificate: Certificate | None
    dossier_number: str = ""
    latest_version: int | None = None

    @property
    def entry_allowed(self) -> bool:
        return self.status in ENTRY_STATUSES

    @property
    def anchor(self) -> str:
        """The row's id, « mois-2026-03 », which links and tests point at."""
        return f"mois-{self.period.month:%Y-%m}"

    @property
    def label(self) -> str:
        """« Mars 2026 »."""
        return french_month(self.period.month).capitalize()

    @property
    def of_month(self) -> str:
        """« de mars 2026 », « d'avril 2026 »."""
        return of_month(self.period.month)

    @property
    def dates(self) -> str:
        """« du 02/03 au 31/03/2026 »."""
        return f"du {self.period.first_day:%d/%m} au {self.period.last_day:%d/%m/%Y}"

    @property
    def entered(self) -> str:
        """« par Paul Durand, le 03/04/2026 à 09:15 » once hours are entered, else ""."""
        certificate = self.certificate
        if certificate is None or certificate.entered_by is None:
            return ""
        when = timezone.localtime(certificate.entered_at) if certificate.entered_at else None
        return f"par {certificate.entered_by}, le {when:%d/%m/%Y à %H:%M}" if when else ""

    def _month_args(self) -> tuple[str, int, int]:
        return (self.dossier_number, self.period.month.year, self.period.month.month)

    @property
    def entry_url(self) -> str:
        return link("certificates:enter", *self._month_args())

    @property
    def month_url(self) -> str:
        return link("certificates:month", *self._month_args())

    @property
    def download_url(self) -> str:
        return link("documents:download", self.certificate.pk) if self.certificate else ""

    @property
    def history_url(self) -> str:
        return link("documents:history", self.certificate.pk) if self.certificate else ""


def month_rows(dossier: Dossier, today: date) -> list[MonthRow]:
    """Every month of the dossier with its status and its latest PDF version's number; two
    queries whatever the length."""
    payments = [  # .all(): a list of dossiers may have prefetched them
        PaidPeriod(p.period_start, p.period_end, p.is_advance) for p in dossier.payments.all()
    ]
    latest = CertificateVersion.objects.filter(certificate=OuterRef("pk")).order_by("-number")
    certificates = {
        c.month: c
        for c in Certificate.objects.filter(dossier=dossier)
        .order_by()  # the rows follow the training's months, not the query
        .select_related("entered_by")
        .annotate(latest_version=Subquery(latest.values("number")[:1]))
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
        version = getattr(certificate, "latest_version", None)
        rows.append(MonthRow(period, status, certificate, dossier.number, version))
    return rows
