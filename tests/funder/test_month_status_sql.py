"""The dashboard's status, read by the database from the months' summary
(``month_overview.month_dossiers``), is ``certificates.status.month_status``'s, for any
dossier, month and day: random training dates, early ends, payments and advances,
interruptions and stored statuses."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.dossiers.models import Interruption, Payment
from realisa.funder.month_overview import month_dossiers
from tests.conftest import World
from tests.month_rules import statuses_by_the_rules

FIRST = date(2026, 1, 1)
STORED = [
    None,
    MonthStatus.ENTERED,
    MonthStatus.CERTIFIED,
    MonthStatus.VALIDATED,
    MonthStatus.CONTESTED,
    MonthStatus.TRANSMITTED,
]
days = st.integers(min_value=0, max_value=400)


@st.composite
def spans(draw: st.DrawFn) -> tuple[int, int]:
    start = draw(days)
    return start, start + draw(st.integers(min_value=0, max_value=120))


def sql_statuses(dossier_id: int, months: set[date], today: date) -> dict[date, MonthStatus]:
    """The month rows the dashboard would list for the dossier, over ``months``."""
    found = {}
    for month in months:
        rows = month_dossiers(month, today).filter(pk=dossier_id).values_list("status", flat=True)
        for status in rows:
            found[month] = MonthStatus(status)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    training=spans(),
    ended=st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
    payments=st.lists(st.tuples(spans(), st.booleans()), max_size=3),
    interruptions=st.lists(spans(), max_size=2),
    stored=st.lists(st.sampled_from(STORED), min_size=6, max_size=6),
    today=st.integers(min_value=0, max_value=600),
)
def test_the_database_computes_the_status_the_rules_give(
    world: World,
    training: tuple[int, int],
    ended: int | None,  # days after the start, within the training
    payments: list[tuple[tuple[int, int], bool]],
    interruptions: list[tuple[int, int]],
    stored: list[MonthStatus | None],
    today: int,
) -> None:
    day = lambda n: FIRST + timedelta(days=n)  # noqa: E731
    with transaction.atomic():
        dossier = world.dossier
        dossier.start_date, dossier.end_date = day(training[0]), day(training[1])
        last = training[1]
        dossier.ended_on = day(min(training[0] + ended, last)) if ended is not None else None
        dossier.save()
        Certificate.objects.filter(dossier=dossier).delete()
        for (start, end), advance in payments:
            Payment.objects.create(
                dossier=dossier,
                period_start=day(start),
                period_end=day(end),
                amount=1,
                paid_on=day(end),
                is_advance=advance,
            )
        for start, end in interruptions:
            Interruption.objects.create(dossier=dossier, start=day(start), end=day(end), reason="x")
        for period, status in zip(dossier.months(), stored, strict=False):
            if status is not None:
                Certificate.objects.create(dossier=dossier, month=period.month, status=status)
        expected = statuses_by_the_rules(dossier.pk, day(today))
        every_month = {period.month for period in dossier.months(held=expected)}
        around = (day(training[0]) + timedelta(days=31 * i) for i in range(-1, 6))
        every_month |= {moment.replace(day=1) for moment in around}
        assert sql_statuses(dossier.pk, every_month, day(today)) == expected
        transaction.set_rollback(True)
