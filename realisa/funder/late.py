"""Who is late: months open for more than ``LATE_AFTER_DAYS`` without entry or certification.

A month is late when it opened (its last day within the training) more than N days ago
and its status is still « En attente de la saisie de l'organisme » or « Heures saisies,
en attente de certification ». The dashboard lists the organisations with their count;
``send_reminders`` e-mails each one its digest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, Prefetch

from realisa.certificates.lifecycle import breaks_of, paid_periods
from realisa.certificates.models import Certificate
from realisa.certificates.status import month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod
from realisa.funder.models import Reminder
from realisa.organisations.models import Organisation

LATE_STATUSES = frozenset({MonthStatus.AWAITING_ENTRY, MonthStatus.ENTERED})


@dataclass(frozen=True)
class LateMonth:
    dossier: Dossier
    period: MonthPeriod
    status: MonthStatus
    days_open: int


def late_cutoff(today: date) -> date:
    """Months that opened on this day or before are late."""
    return today - timedelta(days=settings.LATE_AFTER_DAYS + 1)


def late_months(today: date, organisation: Organisation | None = None) -> list[LateMonth]:
    """Every late month, by organisation, dossier and month."""
    cutoff = late_cutoff(today)
    dossiers = (
        Dossier.objects.filter(start_date__lte=cutoff)
        .select_related("organisation", "beneficiary")
        .prefetch_related(
            "payments",
            "interruptions",
            Prefetch(
                "certificates", queryset=Certificate.objects.only("dossier_id", "month", "status")
            ),
        )
        .order_by("organisation__name", "number")
    )
    if organisation is not None:
        dossiers = dossiers.filter(organisation=organisation)
    late = []
    for dossier in dossiers:
        payments = paid_periods(dossier)
        breaks = breaks_of(dossier)
        stored = {c.month: c.status for c in dossier.certificates.all()}
        for period in dossier.months(held=stored):
            if period.opens_on > cutoff:
                break
            status = month_status(
                period,
                today=today,
                payments=payments,
                stored=stored.get(period.month),
                breaks=breaks,
            )
            if status in LATE_STATUSES:
                late.append(LateMonth(dossier, period, status, (today - period.opens_on).days))
    return late


def late_by_organisation(today: date) -> dict[Organisation, list[LateMonth]]:
    grouped: dict[Organisation, list[LateMonth]] = defaultdict(list)
    for month in late_months(today):
        grouped[month.dossier.organisation].append(month)
    return dict(grouped)


@dataclass(frozen=True)
class LateOrganisation:
    organisation: Organisation
    late_months: int
    last_reminded: date | None  # the last digest's day, None when never reminded


def late_organisations(today: date) -> list[LateOrganisation]:
    """The organisations with late months, the one with the most first."""
    grouped = late_by_organisation(today)
    last = dict(
        Reminder.objects.filter(organisation__in=list(grouped))
        .values("organisation")
        .annotate(last=Max("sent_on"))
        .values_list("organisation", "last")
    )
    late = [
        LateOrganisation(organisation, len(months), last.get(organisation.pk))
        for organisation, months in grouped.items()
    ]
    return sorted(late, key=lambda row: -row.late_months)
