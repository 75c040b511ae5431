"""The months' summary (``certificates.month_summary``) stays what the rules give, whatever
happens to a dossier and in whatever order: payments and advances recorded then removed,
interruptions, new training dates, an early end, hours entered and their status moving on.
It is what the funder's dashboard and late list count, so a drift would show wrong figures
to the agent without any error."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.timezone import localdate
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from realisa.certificates.models import KIND, Certificate, MonthCount, MonthSummary
from realisa.certificates.month_summary import refresh, shown, summarise_after_migrate
from realisa.choices import CertificationMethod, MonthStatus
from realisa.dossiers.models import Dossier, Interruption, Payment
from tests.conftest import World
from tests.factories import DossierFactory
from tests.month_rules import statuses_by_the_rules

FIRST = date(2026, 1, 1)
S = MonthStatus
STORED = [S.ENTERED, S.CERTIFIED, S.VALIDATED, S.CONTESTED, S.TRANSMITTED]


METHODS = [CertificationMethod.PAPER, CertificationMethod.ONLINE]


def day(n: int) -> date:
    return FIRST + timedelta(days=n)


def at(when: date) -> datetime:
    """00:30 in Paris on ``when``: still the day before in UTC."""
    return datetime.combine(when, time(0, 30), tzinfo=ZoneInfo("Europe/Paris"))


def in_the_summary(dossier_id: int, today: date) -> dict[date, MonthStatus]:
    rows = MonthSummary.objects.filter(dossier_id=dossier_id)
    return {row.month: shown(row.status, row.opens_on, today) for row in rows}


def copies_of(dossier_id: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What the summary holds of each month's certificate (method, day certified,
    validated), and what the certificates say: the dashboard's glance counts the former."""
    rows = MonthSummary.objects.filter(dossier_id=dossier_id).order_by("month")
    held = [(r.month, r.method, r.certified_on, r.validated) for r in rows if r.certificate_id]
    truth = [
        (
            c.month,
            c.certification_method,
            c.certified_at and localdate(c.certified_at),
            c.validated_at is not None,
        )
        for c in Certificate.objects.filter(summary__in=rows).order_by("month")
    ]
    return held, truth


def counts_of_the_summaries() -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], int]]:
    """The months' counts as kept, and as counted again from every summary now."""
    kept = {
        tuple(getattr(row, field) for field in KIND): row.count
        for row in MonthCount.objects.exclude(count=0)
    }
    counted: dict[tuple[Any, ...], int] = {}
    for s in MonthSummary.objects.all():
        kind = (s.month, s.opens_on, s.status, s.certificate_id is not None, s.method, s.validated)
        counted[kind] = counted.get(kind, 0) + 1
    return kept, counted


def apply(dossier: Dossier, step: tuple[str, int, int, Any]) -> None:
    """One change to the dossier, as a form, the API, an import or the admin would make it."""
    kind, a, b, extra = step
    start, end = day(min(a, b)), day(max(a, b))
    if kind == "payment":
        Payment.objects.create(
            dossier=dossier,
            period_start=start,
            period_end=end,
            amount=1,
            paid_on=end,
            is_advance=extra,
        )
    elif kind == "interruption":
        Interruption.objects.create(dossier=dossier, start=start, end=end, reason="Arrêt")
    elif kind == "remove":
        rows = list(dossier.payments.all()) + list(dossier.interruptions.all())
        if rows:
            rows[a % len(rows)].delete()
    elif kind == "dates":
        dossier.start_date, dossier.end_date = start, end + timedelta(days=28)
        dossier.ended_on = None
        dossier.save()
    elif kind == "early end":
        dossier.ended_on = max(dossier.start_date, min(day(a), dossier.end_date))
        dossier.save()
    elif kind == "hours":
        months = dossier.months(held=set(dossier.certificates.values_list("month", flat=True)))
        month = months[a % len(months)].month
        certificate = Certificate.objects.filter(dossier=dossier, month=month).first()
        certificate = certificate or Certificate(dossier=dossier, month=month)
        certificate.status = extra
        certified = extra != S.ENTERED
        certificate.certification_method = METHODS[b % 2] if certified else ""
        # the day in Paris is counted, not the day in UTC
        certificate.certified_at = at(day(a) + timedelta(days=20)) if certified else None
        validated = extra in (S.VALIDATED, S.TRANSMITTED)
        certificate.validated_at = at(day(a) + timedelta(days=25)) if validated else None
        certificate.save()


span = (st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
steps = st.one_of(
    st.tuples(st.just("payment"), *span, st.booleans()),  # True: an advance
    st.tuples(st.just("interruption"), *span, st.none()),
    st.tuples(st.just("remove"), *span, st.none()),
    st.tuples(st.just("dates"), *span, st.none()),
    st.tuples(st.just("early end"), *span, st.none()),
    st.tuples(st.just("hours"), *span, st.sampled_from(STORED)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(changes=st.lists(steps, min_size=1, max_size=8), today=st.integers(0, 600))
@example(changes=[("payment", 0, 40, False), ("remove", 0, 0, None)], today=300)
@example(changes=[("interruption", 30, 70, None), ("remove", 0, 0, None)], today=300)
@example(changes=[("hours", 9, 0, S.CERTIFIED), ("early end", 20, 0, None)], today=300)
@example(changes=[("hours", 0, 0, S.ENTERED), ("dates", 100, 300, None)], today=300)
def test_the_summary_follows_every_change_in_any_order(
    world: World, changes: list[tuple[str, int, int, Any]], today: int
) -> None:
    with transaction.atomic():
        dossier = world.dossier
        dossier.start_date, dossier.end_date, dossier.ended_on = day(0), day(200), None
        dossier.save()
        for change in changes:
            apply(dossier, change)
            dossier.refresh_from_db()
            assert in_the_summary(dossier.pk, day(today)) == statuses_by_the_rules(
                dossier.pk, day(today)
            )
            held, truth = copies_of(dossier.pk)
            assert held == truth
            kept, counted = counts_of_the_summaries()
            assert kept == counted
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_month_is_shown_not_open_until_its_opening_day(world: World) -> None:
    dossier = world.dossier
    dossier.start_date, dossier.end_date, dossier.ended_on = (
        date(2026, 3, 10),
        date(2026, 5, 20),
        None,
    )
    dossier.save()
    rows = {row.month: row for row in MonthSummary.objects.filter(dossier=dossier)}
    assert sorted(rows) == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    may = rows[date(2026, 5, 1)]
    assert may.opens_on == date(2026, 5, 20)  # the training's last day
    assert shown(may.status, may.opens_on, date(2026, 5, 19)) == S.NOT_OPEN
    assert shown(may.status, may.opens_on, date(2026, 5, 20)) == S.AWAITING_ENTRY


@pytest.mark.django_db
def test_the_command_and_migrate_write_back_a_summary_changed_outside_the_portal(
    world: World,
) -> None:
    dossier = world.dossier
    expected = in_the_summary(dossier.pk, date(2030, 1, 1))
    MonthSummary.objects.filter(dossier=dossier).update(status=S.TRANSMITTED)  # by hand
    MonthCount.objects.update(count=7)
    out = StringIO()
    call_command("refresh_month_summaries", stdout=out)
    assert in_the_summary(dossier.pk, date(2030, 1, 1)) == expected
    kept, counted = counts_of_the_summaries()
    assert kept == counted and sum(counted.values()) == MonthSummary.objects.count()
    assert "Synthèse des mois réécrite pour 2 dossiers." in out.getvalue()

    MonthSummary.objects.all().delete()  # an older database, with neither
    MonthCount.objects.all().delete()
    summarise_after_migrate()
    assert in_the_summary(dossier.pk, date(2030, 1, 1)) == expected
    assert counts_of_the_summaries()[0] == counts_of_the_summaries()[1]


@pytest.mark.django_db
def test_a_deleted_dossier_leaves_the_counts(world: World) -> None:
    dossier = DossierFactory(organisation=world.dossier.organisation)
    assert MonthSummary.objects.filter(dossier=dossier).exists()
    dossier.delete()
    kept, counted = counts_of_the_summaries()
    assert kept == counted


@pytest.mark.django_db
def test_a_refresh_of_gone_dossiers_or_no_dossier_writes_nothing(world: World) -> None:
    before = MonthSummary.objects.count()
    refresh([])
    refresh([10**9])
    assert MonthSummary.objects.count() == before


@pytest.mark.django_db
def test_a_dossier_moved_to_another_organisation_is_counted_there(world: World) -> None:
    dossier = world.dossier
    dossier.organisation = world.other_dossier.organisation
    dossier.save()
    organisations = set(
        MonthSummary.objects.filter(dossier=dossier).values_list("organisation", flat=True)
    )
    assert organisations == {world.other_dossier.organisation_id}


@pytest.mark.django_db(transaction=True)
def test_the_summary_migrates_back_and_forth(world: World) -> None:
    """Migrating back before the summary drops it without an error; migrating forward again
    writes it back for every dossier."""
    expected = in_the_summary(world.dossier.pk, date(2030, 1, 1))
    call_command("migrate", "certificates", "0010", verbosity=0)
    try:
        assert "certificates_monthsummary" not in connection.introspection.table_names()
    finally:
        call_command("migrate", verbosity=0)
    assert in_the_summary(world.dossier.pk, date(2030, 1, 1)) == expected
    kept, counted = counts_of_the_summaries()
    assert kept == counted and counted
