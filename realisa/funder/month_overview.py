"""Every dossier's month for one calendar month, as the funder's dashboard counts them.

Each dossier whose training has the month, with its month's certificate (if any) and the
month's status, read from the months' summary (``certificates.month_summary``), so that a
month of 30,000 dossiers is filtered, counted, sorted and paged by the database rather than
in Python. A test compares its status with ``certificates.status.month_status`` on random
dossiers, months, payments, interruptions and early ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Aggregate, Count, F, FilteredRelation, Q, QuerySet, Sum

from realisa.certificates.models import MonthCount, MonthSummary
from realisa.certificates.month_summary import shown_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier

# The dashboard's order: the month's life from top to bottom.
DASHBOARD_STATUSES = [
    MonthStatus.NOT_OPEN,
    MonthStatus.AWAITING_ENTRY,
    MonthStatus.ENTERED,
    MonthStatus.CERTIFIED,
    MonthStatus.VALIDATED,
    MonthStatus.CONTESTED,
    MonthStatus.LOCKED,
    MonthStatus.INTERRUPTED,
    MonthStatus.TRANSMITTED,
]

# A row of ``month_queryset``, by name: the dossier's own columns, then the month's
# certificate (None where no hours were entered) and whether a payment locks the month.
COLUMNS = {
    "organisation_name": F("organisation__name"),
    "siret": F("organisation__siret"),
    "first_name": F("beneficiary__first_name"),
    "last_name": F("beneficiary__last_name"),
    "certificate_id": F("month__id"),
    "stored_status": F("month__status"),
    "centre": F("month__centre_minutes"),
    "internship": F("month__internship_minutes"),
    "absence": F("month__absence_minutes"),
    "method": F("month__certification_method"),
    "certified_at": F("month__certified_at"),
    "transmitted_at": F("month__transmitted_at"),
}


@dataclass(frozen=True)
class FunderRow:
    """One dossier's month as the dashboard lists it; the hours are None before entry."""

    number: str
    beneficiary: str
    organisation: str
    status: MonthStatus
    presence_minutes: int | None
    absence_minutes: int | None

    @classmethod
    def of(cls, values: dict[str, Any], status: MonthStatus) -> FunderRow:
        entered = values["certificate_id"] is not None
        return cls(
            number=values["number"],
            beneficiary=f"{values['first_name']} {values['last_name'].upper()}",
            organisation=values["organisation_name"],
            status=status,
            presence_minutes=values["centre"] + values["internship"] if entered else None,
            absence_minutes=values["absence"] if entered else None,
        )


def month_dossiers(month: date, today: date) -> Any:
    """Every dossier whose training has ``month`` (the 1st), with that month's certificate
    as the relation ``month``, its summary as ``summary`` and its status as the annotation
    ``status``."""
    summary = FilteredRelation("month_summaries", condition=Q(month_summaries__month=month))
    certificate = FilteredRelation("certificates", condition=Q(certificates__month=month))
    return (
        Dossier.objects.alias(summary=summary, month=certificate)
        .filter(summary__month=month)
        .annotate(status=shown_status(today, prefix="summary__"))
    )


def month_values(dossiers: Any) -> Any:
    """The rows of ``month_dossiers`` (filtered) as dicts named as ``COLUMNS``, and status."""
    return dossiers.values("number", "status", **COLUMNS)


def iter_values(
    dossiers: Any, chunk_size: int = 2000
) -> Iterator[tuple[dict[str, Any], MonthStatus]]:
    """(values, status) for each row of ``month_dossiers``, streamed in constant memory."""
    for values in month_values(dossiers).iterator(chunk_size=chunk_size):
        yield values, MonthStatus(values["status"])


def status_counts(
    month: date, today: date, organisations: QuerySet[Any] | None = None
) -> list[Any]:
    """(status, count) for every dashboard status, zeros included, in the dashboard's order:
    one query on the month's counts, or on its summaries of ``organisations`` only."""
    rows: QuerySet[Any] = MonthCount.objects.filter(month=month)
    months: Aggregate = Sum("count")
    if organisations is not None:
        rows = MonthSummary.objects.filter(month=month, organisation__in=organisations)
        months = Count("pk")
    shown = rows.annotate(shown=shown_status(today)).order_by()
    counts = dict(shown.values_list("shown").annotate(count=months))
    return [(status, counts.get(status.value, 0)) for status in DASHBOARD_STATUSES]
