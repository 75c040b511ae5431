"""A planned calendar made from a weekly pattern, as an organisation describes its training:
« du lundi au vendredi, 7 h en centre », public holidays excluded, with exceptions over
periods (the weeks in a company, a closure).

Pure: ``plan_days`` reads no database; it returns the days that ``PlannedDay`` rows hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from realisa.lib.working_days import public_holidays, region


@dataclass(frozen=True)
class DayPlan:
    """The hours planned on one weekday, or on one date: in the centre, in a company."""

    centre_minutes: int = 0
    internship_minutes: int = 0

    @property
    def presence(self) -> int:
        return self.centre_minutes + self.internship_minutes


@dataclass(frozen=True)
class WeeklyPattern:
    """The hours of each weekday, Monday first (seven entries)."""

    weekdays: tuple[DayPlan, ...]

    def __post_init__(self) -> None:
        if len(self.weekdays) != 7:
            raise ValueError("Un modèle de semaine a sept jours, du lundi au dimanche.")

    @classmethod
    def monday_to_friday(cls, centre_minutes: int) -> WeeklyPattern:
        """« Du lundi au vendredi », the same hours in the centre each day."""
        return cls((DayPlan(centre_minutes),) * 5 + (DayPlan(),) * 2)


class ExceptionKind(StrEnum):
    CLOSURE = "closure"  # no training: the organisation is closed, a bridge day
    INTERNSHIP = "internship"  # the day's planned hours are spent in a company


@dataclass(frozen=True)
class PatternException:
    """A period, both ends included, that departs from the weekly pattern."""

    first_day: date
    last_day: date
    kind: ExceptionKind

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def plan_days(
    start: date,
    end: date,
    pattern: WeeklyPattern,
    exceptions: Iterable[PatternException] = (),
    region_code: str | None = None,
) -> dict[date, DayPlan]:
    """Each day from ``start`` to ``end`` on which the pattern plans hours: public holidays
    (of the portal's region by default) and closures left out, the hours of a day within an
    internship period counted in the company."""
    code = region() if region_code is None else region_code
    periods = list(exceptions)
    days: dict[date, DayPlan] = {}
    day = start
    while day <= end:
        planned = pattern.weekdays[day.weekday()]
        kinds = {period.kind for period in periods if period.covers(day)}
        if (
            planned.presence
            and ExceptionKind.CLOSURE not in kinds
            and day not in public_holidays(day.year, code)
        ):
            if ExceptionKind.INTERNSHIP in kinds:
                planned = DayPlan(internship_minutes=planned.presence)
            days[day] = planned
        day += timedelta(days=1)
    return days


def total_minutes(days: dict[date, DayPlan]) -> int:
    """The planned presence of ``days``, to compare with the dossier's financed hours."""
    return sum(plan.presence for plan in days.values())
