"""« Hours as they happen »: a day or a month above its plan is saved (with a reason when
the month or the dossier goes above its plan), days outside the plan are added, and zero
hours is a decision. Service level; the window's own tests are in test_entry_window.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from realisa.audit.models import AuditEvent
from realisa.certificates.entry import HoursEntry, InvalidEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.rules import DayHours, Hours
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import HOUR, MARCH, PLANNED_DAYS
from tests.conftest import World
from tests.factories import CertificateFactory, PlannedDayFactory

SATURDAY = date(2026, 3, 7)


def enter(
    dossier: Dossier, actor: Any, *, version: int = 0, month: date = MARCH, **fields: Any
) -> Any:
    entry = HoursEntry(**{"hours": Hours(), "certifies_entry": True, **fields})
    return enter_hours(dossier, month, actor=actor, entry=entry, expected_version=version)


def planned_grid(**changes: tuple[int, int, int]) -> list[DayHours]:
    """The planned days as planned, with ``changes`` (``d2=(c, i, a)`` for 2 March)."""
    days = {day: (c, i, 0) for day, (c, i) in PLANNED_DAYS.items()}
    days |= {date(2026, 3, int(key[1:])): value for key, value in changes.items()}
    return [DayHours(day, Hours(c, i, a)) for day, (c, i, a) in sorted(days.items())]


def refusal(dossier: Dossier, actor: Any, **fields: Any) -> dict[str, str]:
    with pytest.raises(InvalidEntry) as refused:
        enter(dossier, actor, **fields)
    assert not Certificate.objects.exists()
    return refused.value.errors


def test_a_saturday_catch_up_is_added_to_the_grid(world: World, paperless: Dossier) -> None:
    days = [*planned_grid(), DayHours(SATURDAY, Hours(centre=3 * HOUR))]
    errors = refusal(paperless, world.of_user, days=days)
    assert errors == {
        "gap_reason": "Indiquez le motif de l'écart : la présence du mois (31 h) dépasse le "
        "prévu du mois (28 h) de 3 h."
    }
    certificate = enter(paperless, world.of_user, days=days, gap_reason=" Rattrapage du samedi ")
    certificate = certificate.certificate
    assert [d.date for d in certificate.days.all()] == [*PLANNED_DAYS, SATURDAY]
    assert certificate.centre_minutes == 24 * HOUR and certificate.internship_minutes == 7 * HOUR
    assert certificate.gap_reason == "Rattrapage du samedi"


def test_a_day_above_its_own_plan_needs_no_reason_when_the_month_is_within_it(
    world: World, paperless: Dossier
) -> None:
    days = planned_grid(d2=(8 * HOUR, 0, 0), d3=(6 * HOUR, 0, 0))  # +1 h, then -1 h
    certificate = enter(paperless, world.of_user, days=days).certificate
    assert certificate.days.get(date=date(2026, 3, 2)).centre_minutes == 8 * HOUR
    assert certificate.gap_reason == ""


def test_a_day_never_holds_more_than_24_hours(world: World, paperless: Dossier) -> None:
    errors = refusal(
        paperless, world.of_user, days=planned_grid(d2=(20 * HOUR, 0, 5 * HOUR)), gap_reason="x"
    )
    assert "c'est plus que 24 heures (24 h)" in errors["day:2026-03-02"]


@pytest.mark.parametrize("day", [date(2026, 4, 1), date(2026, 2, 27)])
def test_no_day_lies_outside_the_month_or_the_training(
    world: World, paperless: Dossier, day: date
) -> None:
    errors = refusal(paperless, world.of_user, days=[*planned_grid(), DayHours(day, Hours(60))])
    assert errors[f"day:{day.isoformat()}"] == (
        f"Le {day:%d/%m/%Y} n'est pas un jour de ce mois pendant la formation "
        "(du 01/03/2026 au 31/03/2026)."
    )


def test_before_the_training_starts_no_day_is_taken(world: World, paperless: Dossier) -> None:
    PlannedDayFactory(dossier=paperless, date=date(2026, 1, 12), centre_minutes=7 * HOUR)
    days = [DayHours(date(2026, 1, 12), Hours(7 * HOUR)), DayHours(date(2026, 1, 9), Hours(HOUR))]
    errors = refusal(paperless, world.of_user, month=date(2026, 1, 1), days=days)
    assert "du 12/01/2026 au 31/01/2026" in errors["day:2026-01-09"]


def test_a_day_twice_is_refused(world: World, paperless: Dossier) -> None:
    days = [*planned_grid(), DayHours(SATURDAY, Hours(60)), DayHours(SATURDAY, Hours(60))]
    assert refusal(paperless, world.of_user, days=days, gap_reason="x") == {
        "day:2026-03-07": "Le 07/03/2026 est saisi deux fois."
    }


def test_an_added_day_left_empty_is_not_stored(world: World, paperless: Dossier) -> None:
    certificate = enter(
        paperless, world.of_user, days=[*planned_grid(), DayHours(SATURDAY, Hours())]
    ).certificate
    assert SATURDAY not in {d.date for d in certificate.days.all()}
    assert certificate.days.count() == len(PLANNED_DAYS)


def test_totals_above_the_plan_need_a_reason_then_are_saved(world: World, dossier: Dossier) -> None:
    above = Hours(centre=24 * HOUR, internship=7 * HOUR, absence=2 * HOUR)  # 31 h of 28 h
    errors = refusal(dossier, world.of_user, hours=above)
    assert list(errors) == ["gap_reason"]
    certificate = enter(dossier, world.of_user, hours=above, gap_reason="Rattrapage").certificate
    assert (certificate.presence_minutes, certificate.gap_reason) == (31 * HOUR, "Rattrapage")


def test_presence_below_the_plan_with_absence_above_it_needs_no_reason(
    world: World, dossier: Dossier
) -> None:
    """Above the plan is presence above planned presence: absence is only shown beside."""
    hours = Hours(centre=21 * HOUR, internship=7 * HOUR, absence=5 * HOUR)
    assert enter(dossier, world.of_user, hours=hours).certificate.gap_reason == ""


def test_the_reason_is_cleared_when_no_longer_needed(world: World, dossier: Dossier) -> None:
    enter(dossier, world.of_user, hours=Hours(centre=30 * HOUR), gap_reason="Rattrapage")
    enter(dossier, world.of_user, version=1, hours=Hours(centre=28 * HOUR), gap_reason="Rattrapage")
    assert Certificate.objects.get().gap_reason == ""


def test_without_a_calendar_the_check_is_cumulative_against_the_financed_hours(
    world: World,
) -> None:
    dossier = world.dossier  # no planned day, 600 h financed
    CertificateFactory(dossier=dossier, month=date(2026, 1, 1), centre_minutes=250 * HOUR)
    CertificateFactory(
        dossier=dossier, month=date(2026, 2, 1), centre_minutes=300 * HOUR, certified=True
    )
    assert enter(dossier, world.of_user, hours=Hours(centre=50 * HOUR)).certificate.pk
    errors_above = refusal_after(dossier, world, Hours(centre=51 * HOUR))
    assert errors_above == {
        "gap_reason": "Indiquez le motif de l'écart : la présence cumulée du dossier (601 h) "
        "dépasse les heures financées (600 h) de 1 h."
    }


def refusal_after(dossier: Dossier, world: World, hours: Hours) -> dict[str, str]:
    with pytest.raises(InvalidEntry) as refused:
        enter(dossier, world.of_user, version=1, hours=hours)
    return refused.value.errors


def test_a_calendar_month_without_planned_days_has_a_plan_of_zero(
    world: World, paperless: Dossier
) -> None:
    """August-like: the calendar plans nothing in April, so any presence is above it."""
    april = date(2026, 4, 1)
    catch_up = [DayHours(date(2026, 4, 4), Hours(centre=4 * HOUR))]
    errors = refusal(paperless, world.of_user, month=april, days=catch_up)
    assert "la présence du mois (4 h) dépasse le prévu du mois (0 h) de 4 h" in errors["gap_reason"]
    certificate = enter(
        paperless, world.of_user, month=april, days=catch_up, gap_reason="Rattrapage"
    ).certificate
    assert certificate.centre_minutes == 4 * HOUR


def test_an_empty_month_is_never_saved_silently(world: World, dossier: Dossier) -> None:
    errors = refusal(dossier, world.of_user, hours=Hours(absence=7 * HOUR))
    assert errors == {
        "zero_hours_confirmed": "Aucune heure de présence n'est saisie : cochez « Je certifie "
        "zéro heure pour ce mois » pour enregistrer 0 h, ou saisissez les heures."
    }
    certificate = enter(
        dossier, world.of_user, hours=Hours(absence=7 * HOUR), zero_hours_confirmed=True
    ).certificate
    assert certificate.zero_hours_confirmed and certificate.presence_minutes == 0


def test_zero_hours_with_hours_is_a_contradiction(world: World, dossier: Dossier) -> None:
    errors = refusal(dossier, world.of_user, hours=Hours(centre=HOUR), zero_hours_confirmed=True)
    assert errors["zero_hours_confirmed"].startswith("Vous avez saisi 1 h de présence : décochez")


def test_the_entry_event_records_the_reason_and_the_zero_hour_decision(
    world: World, dossier: Dossier
) -> None:
    enter(dossier, world.of_user, hours=Hours(centre=30 * HOUR), gap_reason="Rattrapage")
    enter(dossier, world.of_user, version=1, zero_hours_confirmed=True, gap_reason="Rattrapage")
    first, second = AuditEvent.objects.filter(action="hours.entered").order_by("id")
    assert (first.payload["gap_reason"], first.payload["zero_hours_confirmed"]) == (
        "Rattrapage",
        False,
    )
    assert first.payload["planned"] == 28 * HOUR
    assert (second.payload["gap_reason"], second.payload["zero_hours_confirmed"]) == ("", True)
    assert Certificate.objects.get().zero_hours_confirmed is True
