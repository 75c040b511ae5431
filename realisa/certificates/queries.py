"""The months of a dossier as the « Certificats de réalisation » tab lists them.

Two queries whatever the training's length: the dossier's payments, and its certificates
with the person who entered the hours and the number of the latest PDF version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, QuerySet
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates.lifecycle import breaks_of, paid_periods
from realisa.certificates.models import Certificate
from realisa.certificates.status import PaidPeriod, month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod
from realisa.lib.french import french_month, of_month

# A month contested by its beneficiary (certification 2) opens again: the organisation
# corrects the hours, which makes it `entered`, and certifies again.


@dataclass(frozen=True)
class MonthRow:
    """One month of the table. ``certificate`` is None until hours are entered; it comes
    with ``entered_by`` and ``latest_version`` (its latest PDF's number, None before the
    first)."""

    period: MonthPeriod
    status: MonthStatus
    certificate: Certificate | None

    # The row's texts. Written here as ``Dossier.dates`` is, rather than with the ``date``
    # filter: each call of the filter costs about 25 µs, half the table's rendering.
    @property
    def anchor(self) -> str:
        """The row's id, « mois-2026-03 », which links and tests point at."""
        return f"mois-{self.period.month:%Y-%m}"

    @property
    def status_text(self) -> str:
        """The status as the table prints it (``Certificate.status_text`` once stored)."""
        certificate = self.certificate
        if certificate is not None and self.status == certificate.status:
            return certificate.status_text
        return str(self.status.label)

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
        if certificate is None or certificate.entered_by is None or certificate.entered_at is None:
            return ""
        when = timezone.localtime(certificate.entered_at)
        return f"par {certificate.entered_by}, le {when:%d/%m/%Y à %H:%M}"


def month_rows(
    dossier: Dossier,
    viewer: User | AnonymousUser,
    today: date,
    payments: list[PaidPeriod] | None = None,
) -> list[MonthRow]:
    """Every month of the dossier with its status, its certificate and its latest PDF
    version's number, as ``viewer`` may see them: to the beneficiary and the employer, a
    month entered but not certified is still awaiting its entry (``visible_to``).
    ``payments``: the dossier's (``lifecycle.paid_periods``), when the caller has read
    them already."""
    if payments is None:
        payments = paid_periods(dossier)
    certificates = {
        certificate.month: certificate
        for certificate in Certificate.objects.visible_to(viewer)
        .filter(dossier=dossier)
        .select_related("entered_by")
        .annotate(latest_version=Max("versions__number"))
    }
    rows = []
    breaks = breaks_of(dossier)
    held: set[date] = set()
    if dossier.last_day < dossier.end_date:  # ended early: the months after with hours stay
        held = set(Certificate.objects.filter(dossier=dossier).values_list("month", flat=True))
    for period in dossier.months(held):
        certificate = certificates.get(period.month)
        status = month_status(
            period,
            today=today,
            payments=payments,
            stored=certificate.status if certificate else None,
            breaks=breaks,
        )
        rows.append(MonthRow(period, status, certificate))
    return rows


@dataclass(frozen=True)
class MonthDone:
    """A line of « Heures réalisées » : a month's presence (centre + stage) as entered,
    its absence, and the presence of the training so far."""

    label: str
    entered: bool
    presence: int
    absence: int
    cumulative: int


@dataclass(frozen=True)
class HoursDone:
    """The dossier's hours done against its financed hours, month by month and in total."""

    months: list[MonthDone]
    financed: int

    @property
    def presence(self) -> int:
        return sum(month.presence for month in self.months)

    @property
    def absence(self) -> int:
        return sum(month.absence for month in self.months)

    @property
    def remaining(self) -> int:
        """The financed hours not done yet; negative above them."""
        return self.financed - self.presence

    @property
    def over(self) -> int:
        """The presence above the financed hours (0 within them)."""
        return max(0, -self.remaining)


def hours_done(dossier: Dossier, rows: list[MonthRow]) -> HoursDone:
    """« Heures réalisées » from the table's rows, without a query of its own, so that each
    party counts the months it sees (a month entered but not certified counts for the
    organisation and the funder). Each month's own plan is the entry window's."""
    months, cumulative = [], 0
    for row in rows:
        certificate = row.certificate
        presence = certificate.presence_minutes if certificate else 0
        cumulative += presence
        months.append(
            MonthDone(
                label=row.label,
                entered=certificate is not None,
                presence=presence,
                absence=certificate.absence_minutes if certificate else 0,
                cumulative=cumulative,
            )
        )
    return HoursDone(months, dossier.planned_minutes)


def entered_months(organisation_id: int) -> QuerySet[Certificate]:
    """An organisation's months whose hours are entered and whose PDF exists, oldest month
    first, with what ``abilities`` reads of them (« Certifier en lot »'s lists)."""
    return (
        Certificate.objects.filter(
            dossier__organisation_id=organisation_id, status=MonthStatus.ENTERED, has_pdf=True
        )
        .select_related("dossier__beneficiary", "dossier__organisation", "dossier__employer")
        .prefetch_related("dossier__payments", "dossier__interruptions")
        .order_by("month", "dossier__number")
    )
