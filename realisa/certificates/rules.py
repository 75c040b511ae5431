"""The rules that entered hours must follow: pure functions, no database.

Presence (centre + internship) plus absence is the time the beneficiary was expected:
on one day it never exceeds 24 h, nor that day's plan when there is one; over the month
it never exceeds 24 h per day of the month's period, nor the month's plan when there is
one. Below the plan is allowed, with a warning that says by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from realisa.lib.hours import DAY_MAX_MINUTES, format_minutes


@dataclass(frozen=True)
class Hours:
    """The three durations of a day or of a month, in minutes."""

    centre: int = 0
    internship: int = 0
    absence: int = 0

    @property
    def presence(self) -> int:
        return self.centre + self.internship

    @property
    def total(self) -> int:
        return self.presence + self.absence

    def __add__(self, other: Hours) -> Hours:
        return Hours(
            self.centre + other.centre,
            self.internship + other.internship,
            self.absence + other.absence,
        )

    def as_dict(self) -> dict[str, int]:
        return {"centre": self.centre, "internship": self.internship, "absence": self.absence}


@dataclass(frozen=True)
class DayHours:
    day: date
    hours: Hours


def sum_hours(days: list[DayHours]) -> Hours:
    total = Hours()
    for day in days:
        total = total + day.hours
    return total


def _over(hours: Hours, limit: int, what: str) -> str:
    return (
        f"Présence ({format_minutes(hours.presence)}) + absence "
        f"({format_minutes(hours.absence)}) = {format_minutes(hours.total)} : "
        f"c'est plus que {what} ({format_minutes(limit)}). "
        "Vérifiez que vous avez bien déduit les heures d'absences du total d'heures de présence."
    )


def day_error(hours: Hours, planned: int | None) -> str | None:
    """Why one day's hours are refused, or None."""
    if hours.total > DAY_MAX_MINUTES:
        return _over(hours, DAY_MAX_MINUTES, "24 heures")
    if planned is not None and hours.total > planned:
        return _over(hours, planned, "les heures prévues ce jour")
    return None


def month_error(hours: Hours, *, day_count: int, planned: int | None) -> str | None:
    """Why a month's totals are refused, or None. ``planned`` is None without a plan."""
    ceiling = day_count * DAY_MAX_MINUTES
    if hours.total > ceiling:
        return _over(hours, ceiling, f"24 heures par jour sur les {day_count} jours de la période")
    if planned is not None and hours.total > planned:
        return _over(hours, planned, "le total prévu du mois")
    return None


def plan_gap_warning(hours: Hours, planned: int | None) -> str | None:
    """The non-blocking warning when presence + absence differs from the month's plan."""
    if planned is None or hours.total == planned:
        return None
    gap = abs(planned - hours.total)
    side = "de moins" if hours.total < planned else "de plus"
    return (
        f"Présence + absence = {format_minutes(hours.total)}, soit {format_minutes(gap)} "
        f"{side} que le total prévu du mois ({format_minutes(planned)})."
    )
