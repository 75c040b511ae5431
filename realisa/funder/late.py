"""Who is late: months open for more than ``LATE_AFTER_DAYS`` without entry or certification.

A month is late when it opened (its last day within the training) more than N days ago
and its status is still « En attente de la saisie de l'organisme » or « Heures saisies,
en attente de certification ». The dashboard lists the organisations with their count;
``send_reminders`` e-mails each one its digest. Both read the months' summary
(``certificates.month_summary``): one indexed query, whatever the number of dossiers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Max, QuerySet

from realisa.certificates.models import MonthSummary
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


def late_summaries(today: date) -> QuerySet[MonthSummary]:
    """The late months' summaries (opened by the cutoff, so never « pas disponible »)."""
    return MonthSummary.objects.filter(
        status__in=LATE_STATUSES, opens_on__lte=late_cutoff(today)
    ).order_by()


def late_months(today: date, organisation: Organisation | None = None) -> list[LateMonth]:
    """Every late month, by organisation, dossier and month."""
    rows = late_summaries(today).select_related("dossier__organisation", "dossier__beneficiary")
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    rows = rows.order_by("dossier__organisation__name", "dossier__number", "month")
    return [
        LateMonth(
            row.dossier,
            MonthPeriod(row.month, max(row.month, row.dossier.start_date), row.opens_on),
            MonthStatus(row.status),
            (today - row.opens_on).days,
        )
        for row in rows
    ]


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
    """The organisations with late months, the one with the most first: counted by the
    database, whatever the number of dossiers."""
    counts = dict(
        late_summaries(today)
        .values("organisation")
        .annotate(count=Count("pk"))
        .values_list("organisation", "count")
    )
    organisations = Organisation.objects.in_bulk(list(counts))
    last = dict(
        Reminder.objects.filter(organisation__in=list(counts))
        .values("organisation")
        .annotate(last=Max("sent_on"))
        .values_list("organisation", "last")
    )
    late = [
        LateOrganisation(organisation, counts[pk], last.get(pk))
        for pk, organisation in organisations.items()
    ]
    return sorted(late, key=lambda row: (-row.late_months, row.organisation.name))
