"""Every dossier's month for one calendar month, as the funder's dashboard counts them.

One query, streamed: each dossier whose training touches the month, with its month's
certificate (if any) and whether a payment that is not an advance covers the month's
days. The status itself comes from ``certificates.status.month_status``, the one place
that applies the rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import DateField, Exists, F, FilteredRelation, OuterRef, Q, Value
from django.db.models.functions import Greatest, Least

from realisa.certificates.models import Certificate
from realisa.certificates.status import Break, PaidPeriod, month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier, Interruption, Payment
from realisa.dossiers.periods import MonthPeriod, month_end

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


def month_queryset(month: date, organisation_id: int | None = None) -> Any:
    """The values (dicts named as ``COLUMNS``) of every dossier touching ``month`` (the
    1st), ordered for display."""
    first, last = month, month_end(month)
    covering = Payment.objects.filter(
        dossier=OuterRef("pk"),
        is_advance=False,
        period_start__lte=Least(OuterRef("end_date"), Value(last, output_field=DateField())),
        period_end__gte=Greatest(OuterRef("start_date"), Value(first, output_field=DateField())),
    )
    interrupting = Interruption.objects.filter(
        dossier=OuterRef("pk"),
        start__lte=Greatest(OuterRef("start_date"), Value(first, output_field=DateField())),
        end__gte=Least(OuterRef("end_date"), Value(last, output_field=DateField())),
    )
    held = Certificate.objects.filter(dossier=OuterRef("pk"), month=first)
    dossiers = Dossier.objects.filter(start_date__lte=last, end_date__gte=first).filter(
        # ended early: the months after its last day only while they hold hours
        Q(ended_on__isnull=True) | Q(ended_on__gte=first) | Exists(held)
    )
    if organisation_id is not None:
        dossiers = dossiers.filter(organisation_id=organisation_id)
    return (
        dossiers.alias(
            month=FilteredRelation("certificates", condition=Q(certificates__month=first))
        )
        .annotate(locked=Exists(covering), interrupted=Exists(interrupting))
        .order_by("organisation__name", "number")
        .values("number", "start_date", "end_date", "ended_on", "locked", "interrupted", **COLUMNS)
    )


def row_status(values: dict[str, Any], month: date, last: date, today: date) -> MonthStatus:
    """The status of one row of ``month_queryset`` (``last``: the month's last day)."""
    end = values["end_date"]
    if values["ended_on"] is not None and values["ended_on"] >= month:
        end = min(end, values["ended_on"])
    period = MonthPeriod(month, max(values["start_date"], month), min(end, last))
    payments = [PaidPeriod(period.first_day, period.last_day, False)] if values["locked"] else []
    breaks = [Break(period.first_day, period.last_day)] if values["interrupted"] else []
    return month_status(
        period, today=today, payments=payments, stored=values["stored_status"], breaks=breaks
    )


def iter_values(
    month: date,
    today: date,
    *,
    organisation_id: int | None = None,
    status: str = "",
    chunk_size: int = 2000,
) -> Iterator[tuple[dict[str, Any], MonthStatus]]:
    """(values, status) for each dossier of the month, streamed in constant memory;
    ``status`` filters when given."""
    last = month_end(month)
    for values in month_queryset(month, organisation_id).iterator(chunk_size=chunk_size):
        row_state = row_status(values, month, last, today)
        if not status or row_state == status:
            yield values, row_state


def iter_rows(
    month: date,
    today: date,
    *,
    organisation_id: int | None = None,
    status: str = "",
) -> Iterator[FunderRow]:
    """The month's rows one by one, as the dashboard lists them."""
    for values, row_state in iter_values(
        month, today, organisation_id=organisation_id, status=status
    ):
        yield FunderRow.of(values, row_state)


def status_counts(month: date, today: date, organisation_id: int | None = None) -> list[Any]:
    """(status, count) for every dashboard status, zeros included, in the dashboard's order."""
    rows = iter_values(month, today, organisation_id=organisation_id)
    counts = Counter(row_state for _, row_state in rows)
    return [(status, counts.get(status, 0)) for status in DASHBOARD_STATUSES]
