"""Every dossier's month for one calendar month, as the funder's dashboard counts them.

Each dossier whose training touches the month, with its month's certificate (if any) and
the month's status, computed by the database: ``status_expression`` writes the rules of
``certificates.status.month_status`` in SQL, so that a month of 30,000 dossiers is
filtered, counted, sorted and paged by the database rather than in Python. A test
compares the two on random dossiers, months, payments, interruptions and early ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier, Interruption, Payment
from realisa.dossiers.periods import month_end

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


def opens_on(first: date, last: date) -> Any:
    """The month's opening day in SQL (``MonthPeriod.opens_on``): its last day within the
    training, an early end (``ended_on`` from this month on) included."""
    end = Case(
        When(ended_on__gte=first, then=Least(F("end_date"), F("ended_on"))),
        default=F("end_date"),
    )
    return Least(end, Value(last, output_field=DateField()))


def status_expression(first: date, last: date, today: date) -> Case:
    """``certificates.status.month_status`` written in SQL, rule for rule, so that the
    database filters, counts, sorts and pages the months by status
    (tests/funder/test_month_status_sql.py checks both give the same status)."""
    covering = Payment.objects.filter(
        dossier=OuterRef("pk"),
        is_advance=False,
        period_start__lte=opens_on_of_outer(first, last),
        period_end__gte=Greatest(OuterRef("start_date"), Value(first, output_field=DateField())),
    )
    interrupting = Interruption.objects.filter(
        dossier=OuterRef("pk"),
        start__lte=Greatest(OuterRef("start_date"), Value(first, output_field=DateField())),
        end__gte=opens_on_of_outer(first, last),
    )
    return Case(
        When(month__status__isnull=False, then=F("month__status")),
        When(Exists(covering), then=Value(MonthStatus.LOCKED.value)),
        When(Exists(interrupting), then=Value(MonthStatus.INTERRUPTED.value)),
        When(
            GreaterThan(opens_on(first, last), Value(today, output_field=DateField())),
            then=Value(MonthStatus.NOT_OPEN.value),
        ),
        default=Value(MonthStatus.AWAITING_ENTRY.value),
        output_field=CharField(),
    )


def opens_on_of_outer(first: date, last: date) -> Any:
    """``opens_on`` of the dossier of an ``Exists`` subquery."""
    end = Case(
        When(
            GreaterThanOrEqual(OuterRef("ended_on"), Value(first, output_field=DateField())),
            then=Least(OuterRef("end_date"), OuterRef("ended_on")),
        ),
        default=OuterRef("end_date"),
    )
    return Least(end, Value(last, output_field=DateField()))


def month_dossiers(month: date, today: date) -> Any:
    """Every dossier whose training touches ``month`` (the 1st), with that month's
    certificate as the relation ``month`` and its status as the annotation ``status``."""
    first, last = month, month_end(month)
    held = Certificate.objects.filter(dossier=OuterRef("pk"), month=first)
    dossiers = Dossier.objects.filter(start_date__lte=last, end_date__gte=first).filter(
        # ended early: the months after its last day only while they hold hours
        Q(ended_on__isnull=True) | Q(ended_on__gte=first) | Exists(held)
    )
    return dossiers.alias(
        month=FilteredRelation("certificates", condition=Q(certificates__month=first))
    ).annotate(status=status_expression(first, last, today))


def month_values(dossiers: Any) -> Any:
    """The rows of ``month_dossiers`` (filtered) as dicts named as ``COLUMNS``, and status."""
    return dossiers.values("number", "status", **COLUMNS)


def iter_values(
    dossiers: Any, chunk_size: int = 2000
) -> Iterator[tuple[dict[str, Any], MonthStatus]]:
    """(values, status) for each row of ``month_dossiers``, streamed in constant memory."""
    for values in month_values(dossiers).iterator(chunk_size=chunk_size):
        yield values, MonthStatus(values["status"])


def status_counts(month: date, today: date, organisation_id: int | None = None) -> list[Any]:
    """(status, count) for every dashboard status, zeros included, in the dashboard's order:
    one query, grouped by the database."""
    dossiers = month_dossiers(month, today)
    if organisation_id is not None:
        dossiers = dossiers.filter(organisation_id=organisation_id)
    grouped = dossiers.order_by().values_list("status").annotate(count=Count("pk"))
    counts = dict(grouped)
    return [(status, counts.get(status.value, 0)) for status in DASHBOARD_STATUSES]
