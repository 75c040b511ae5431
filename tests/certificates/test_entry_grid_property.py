"""Hypothesis over the day grid: any planned calendar and any days entered within the hard
limits (a day of March within 24 h) are saved, and a « Motif de l'écart » is required
exactly when the month's presence exceeds its plan or the financed hours. The expectation
is computed here, from the generated days, never by the code under test."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realisa.certificates.models import Certificate
from realisa.dossiers.models import Dossier, PlannedDay
from tests.conftest import World

MARCH_DAYS = [date(2026, 3, d) for d in range(1, calendar.monthrange(2026, 3)[1] + 1)]
QUARTER = 15  # durations in quarters of an hour, typed as « 7:45 »


@st.composite
def day_hours(draw: Any, *, absence: bool) -> tuple[int, int, int]:
    """Centre, internship, absence in minutes, together within 24 h."""
    total = draw(st.integers(min_value=0, max_value=24 * 60 // QUARTER)) * QUARTER
    centre = draw(st.integers(min_value=0, max_value=total // QUARTER)) * QUARTER
    rest = total - centre
    taken = draw(st.integers(min_value=0, max_value=rest // QUARTER)) * QUARTER if absence else 0
    return centre, rest - taken, taken


planned_days = st.dictionaries(st.sampled_from(MARCH_DAYS), day_hours(absence=False), max_size=8)
entered_days = st.dictionaries(st.sampled_from(MARCH_DAYS), day_hours(absence=True), max_size=10)
financed = st.sampled_from([0, 20 * 60, 60 * 60, 600 * 60])


def typed(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}" if minutes else ""


def post(
    client: Client, dossier: Dossier, rows: dict[date, tuple[int, int, int]], **extra: Any
) -> Any:
    data: dict[str, Any] = {
        "version": 0, "certifies_entry": "on", "jours-TOTAL_FORMS": len(rows),
        "jours-INITIAL_FORMS": 0, **extra,
    }  # fmt: skip
    for i, (day, hours) in enumerate(sorted(rows.items())):
        data[f"jours-{i}-date"] = day.isoformat()
        for name, minutes in zip(("centre", "internship", "absence"), hours, strict=True):
            data[f"jours-{i}-{name}"] = typed(minutes)
    return client.post(reverse("certificates:enter", args=[dossier.number, 2026, 3]), data)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(planned=planned_days, entered=entered_days, financed_minutes=financed)
def test_any_grid_within_the_limits_saves_and_a_reason_is_asked_exactly_above_the_plan(
    world: World,
    client: Client,
    planned: dict[date, tuple[int, int, int]],
    entered: dict[date, tuple[int, int, int]],
    financed_minutes: int,
) -> None:
    client.force_login(world.of_user)
    with transaction.atomic():
        dossier = world.dossier
        Dossier.objects.filter(pk=dossier.pk).update(
            is_paperless=True, planned_minutes=financed_minutes
        )
        # A planned day in April: the dossier has a calendar even when March plans nothing.
        PlannedDay.objects.create(dossier=dossier, date=date(2026, 4, 1), centre_minutes=420)
        for day, (centre, internship, _) in planned.items():
            PlannedDay.objects.create(
                dossier=dossier, date=day, centre_minutes=centre, internship_minutes=internship
            )
        rows = dict.fromkeys(planned, (0, 0, 0)) | entered  # every planned day is a row
        presence = sum(c + i for c, i, _ in rows.values())
        absence = sum(a for _, _, a in rows.values())
        month_plan = sum(c + i for c, i, _ in planned.values())
        needs_reason = presence > month_plan or (0 < financed_minutes < presence)
        zero = {"zero_hours_confirmed": "on"} if presence == 0 else {}

        first = post(client, dossier, rows, **zero)
        assert (first.status_code == 302) is not needs_reason
        if needs_reason:
            assert 'id="id_gap_reason-erreur">Indiquez le motif de l' in first.text
            assert not Certificate.objects.filter(dossier=dossier).exists()
            assert post(client, dossier, rows, gap_reason="Rattrapage", **zero).status_code == 302
        certificate = Certificate.objects.get(dossier=dossier)
        assert certificate.presence_minutes == presence
        assert certificate.absence_minutes == absence
        assert certificate.gap_reason == ("Rattrapage" if needs_reason else "")
        assert certificate.zero_hours_confirmed is (presence == 0)
        stored = {d.date for d in certificate.days.all()}
        assert stored == set(planned) | {day for day, hours in entered.items() if sum(hours)}
        transaction.set_rollback(True)
