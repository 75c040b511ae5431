"""Planned calendars from a weekly pattern, and French working days with the region's public
holidays (Alsace-Moselle adds Good Friday and 26 December)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from realisa.dossiers.planning import (
    DayPlan,
    ExceptionKind,
    PatternException,
    WeeklyPattern,
    plan_days,
    total_minutes,
)
from realisa.lib.working_days import add_working_days, is_working_day, region

# France's public holidays in 2026 and 2027, written out here rather than asked of the code.
NATIONAL = {
    date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14),
    date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15), date(2026, 11, 1),
    date(2026, 11, 11), date(2026, 12, 25),
    date(2027, 1, 1), date(2027, 3, 29), date(2027, 5, 1), date(2027, 5, 6), date(2027, 5, 8),
    date(2027, 5, 17), date(2027, 7, 14), date(2027, 8, 15), date(2027, 11, 1),
    date(2027, 11, 11), date(2027, 12, 25),
}  # fmt: skip
ALSACE_MOSELLE = {date(2026, 4, 3), date(2026, 12, 26), date(2027, 3, 26), date(2027, 12, 26)}
START, END = date(2026, 1, 1), date(2027, 12, 31)


@pytest.mark.parametrize(
    ("region_code", "holidays"),
    [("", NATIONAL), ("57", NATIONAL | ALSACE_MOSELLE), ("6AE", NATIONAL | ALSACE_MOSELLE)],
)
def test_working_days_skip_weekends_and_the_region_s_public_holidays(
    region_code: str, holidays: set[date]
) -> None:
    day = START
    while day <= END:
        expected = day.weekday() < 5 and day not in holidays
        assert is_working_day(day, region_code) == expected, day
        day += timedelta(days=1)


def test_good_friday_is_a_working_day_in_paris_not_in_metz() -> None:
    assert add_working_days(date(2026, 4, 2), 1, "") == date(2026, 4, 3)
    assert add_working_days(date(2026, 4, 2), 1, "57") == date(2026, 4, 7)  # and Easter Monday


def test_the_region_is_a_setting_checked_when_used(settings: object) -> None:
    good_friday = date(2026, 4, 3)
    settings.PUBLIC_HOLIDAYS_REGION = ""  # type: ignore[attr-defined]
    assert is_working_day(good_friday)
    settings.PUBLIC_HOLIDAYS_REGION = "57"  # type: ignore[attr-defined]
    assert region() == "57"
    assert not is_working_day(good_friday)
    settings.PUBLIC_HOLIDAYS_REGION = "Lorraine"  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_HOLIDAYS_REGION « Lorraine »"):
        region()


minutes = st.integers(min_value=0, max_value=10 * 60)
patterns = st.lists(
    st.tuples(minutes, minutes).map(lambda pair: DayPlan(*pair)), min_size=7, max_size=7
).map(lambda days: WeeklyPattern(tuple(days)))


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(st.dates(min_value=START, max_value=END))
    end = draw(st.dates(min_value=start, max_value=min(END, start + timedelta(days=400))))
    return start, end


@given(period=periods(), pattern=patterns, region_code=st.sampled_from(["", "57"]))
def test_a_pattern_plans_each_weekday_s_hours_times_its_count_minus_holidays(
    period: tuple[date, date], pattern: WeeklyPattern, region_code: str
) -> None:
    start, end = period
    holidays = NATIONAL | (ALSACE_MOSELLE if region_code else set())
    span = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    counts = [sum(1 for day in span if day.weekday() == weekday) for weekday in range(7)]
    expected = sum(
        plan.presence * count for plan, count in zip(pattern.weekdays, counts, strict=True)
    ) - sum(pattern.weekdays[day.weekday()].presence for day in holidays if start <= day <= end)

    days = plan_days(start, end, pattern, region_code=region_code)

    assert total_minutes(days) == expected
    assert not holidays & set(days)
    assert all(plan.presence for plan in days.values())


def test_exceptions_close_days_and_move_others_to_the_company() -> None:
    pattern = WeeklyPattern.monday_to_friday(7 * 60)
    in_company = PatternException(date(2026, 3, 9), date(2026, 3, 13), ExceptionKind.INTERNSHIP)
    closed = PatternException(date(2026, 3, 20), date(2026, 3, 20), ExceptionKind.CLOSURE)

    days = plan_days(date(2026, 3, 2), date(2026, 3, 31), pattern, [in_company, closed], "")

    assert len(days) == 22 - 1  # March 2026's weekdays, the closed Friday left out
    assert days[date(2026, 3, 9)] == DayPlan(internship_minutes=7 * 60)
    assert days[date(2026, 3, 16)] == DayPlan(centre_minutes=7 * 60)
    assert date(2026, 3, 20) not in days and date(2026, 3, 21) not in days
    assert total_minutes(days) == 21 * 7 * 60


def test_a_week_has_seven_days() -> None:
    with pytest.raises(ValueError, match="sept jours"):
        WeeklyPattern((DayPlan(420),) * 5)
