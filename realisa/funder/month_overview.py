"""Every dossier's month for one calendar month, as the funder's dashboard counts them.

One query, streamed: each dossier whose training touches the month, with its month's
certificate (if any) and whether a payment that is not an advance covers the month's
days. The status itself comes from ``certificates.months.month_status``, the one place
that applies the rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import DateField, Exists, FilteredRelation, OuterRef, Q, Value
from django.db.models.functions import Greatest, Least

from realisa.certificates.status import PaidPeriod, month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier, Payment
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
    MonthStatus.TRANSMITTED,
]

FIELDS = (
    "pk",
    "number",
    "start_date",
    "end_date",
    "organisation_id",
    "organisation__name",
    "organisation__siret",
    "beneficiary__first_name",
    "beneficiary__last_name",
    "month__id",
    "month__status",
    "month__centre_minutes",
    "month__internship_minutes",
    "month__absence_minutes",
    "month__certification_method",
    "month__certified_at",
    "month__validated_at",
    "month__transmitted_at",
    "locked",
)


@dataclass(frozen=True)
class FunderRow:
    """One dossier's month, flat, as the dashboard lists it and the export writes it."""

    dossier_id: int
    number: str
    organisation_id: int
    organisation: str
    siret: str
    beneficiary: str
    month: date
    status: MonthStatus
    certificate_id: int | None
    centre_minutes: int
    internship_minutes: int
    absence_minutes: int
    certification_method: str
    certified_at: datetime | None
    validated_at: datetime | None
    transmitted_at: datetime | None


def month_queryset(month: date, organisation_id: int | None = None) -> Any:
    """The values of every dossier touching ``month`` (the 1st), ordered for display."""
    first, last = month, month_end(month)
    covering = Payment.objects.filter(
        dossier=OuterRef("pk"),
        is_advance=False,
        period_start__lte=Least(OuterRef("end_date"), Value(last, output_field=DateField())),
        period_end__gte=Greatest(OuterRef("start_date"), Value(first, output_field=DateField())),
    )
    dossiers = Dossier.objects.filter(start_date__lte=last, end_date__gte=first)
    if organisation_id is not None:
        dossiers = dossiers.filter(organisation_id=organisation_id)
    return (
        dossiers.alias(
            month=FilteredRelation("certificates", condition=Q(certificates__month=first))
        )
        .annotate(locked=Exists(covering))
        .order_by("organisation__name", "number")
        .values_list(*FIELDS)
    )


def row_status(values: tuple[Any, ...], month: date, last: date, today: date) -> MonthStatus:
    """The status of one row of ``month_queryset`` (``last``: the month's last day)."""
    start, end, stored, locked = values[2], values[3], values[10], values[18]
    period = MonthPeriod(month, max(start, month), min(end, last))
    payments = [PaidPeriod(period.first_day, period.last_day, False)] if locked else []
    return month_status(period, today=today, payments=payments, stored=stored)


def iter_values(
    month: date,
    today: date,
    *,
    organisation_id: int | None = None,
    status: str = "",
    chunk_size: int = 2000,
) -> Iterator[tuple[tuple[Any, ...], MonthStatus]]:
    """(values, status) for each dossier of the month, streamed in constant memory;
    ``status`` filters when given."""
    last = month_end(month)
    for values in month_queryset(month, organisation_id).iterator(chunk_size=chunk_size):
        row_state = row_status(values, month, last, today)
        if not status or row_state == status:
            yield values, row_state


def to_row(values: tuple[Any, ...], status: MonthStatus, month: date) -> FunderRow:
    (pk, number, _, _, org_id, org_name, siret, first_name, last_name) = values[:9]
    (cert_id, _, centre, internship, absence, method, certified, validated) = values[9:17]
    return FunderRow(
        dossier_id=pk,
        number=number,
        organisation_id=org_id,
        organisation=org_name,
        siret=siret,
        beneficiary=f"{first_name} {last_name.upper()}",
        month=month,
        status=status,
        certificate_id=cert_id,
        centre_minutes=centre or 0,
        internship_minutes=internship or 0,
        absence_minutes=absence or 0,
        certification_method=method or "",
        certified_at=certified,
        validated_at=validated,
        transmitted_at=values[17],
    )


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
        yield to_row(values, row_state, month)


def status_counts(month: date, today: date, organisation_id: int | None = None) -> list[Any]:
    """(status, count) for every dashboard status, zeros included, in the dashboard's order."""
    rows = iter_values(month, today, organisation_id=organisation_id)
    counts = Counter(row_state for _, row_state in rows)
    return [(status, counts.get(status, 0)) for status in DASHBOARD_STATUSES]
