"""The rules that entered hours must follow: pure functions, no database.

Hard limits: a day never holds more than 24 h of presence plus absence, a month never
more than 24 h per day of its period. Above them, the plan is a yardstick, not a wall:
a day may exceed its own planned hours (the grid shows by how much), a month may exceed
its plan. « Above the plan » means presence (centre + internship) above planned presence;
absence is shown beside it. A reason for the gap is required when the month's presence
is above its plan, or when the dossier's cumulative presence is above its financed hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from realisa.lib.french import plural
from realisa.lib.hours import DAY_MAX_MINUTES, format_minutes

GAP_REASON_MAX_LENGTH = 1000


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


def day_error(hours: Hours) -> str | None:
    """Why one day's hours are refused (more than 24 h), or None."""
    if hours.total > DAY_MAX_MINUTES:
        return _over(hours, DAY_MAX_MINUTES, "24 heures")
    return None


def month_error(hours: Hours, *, day_count: int) -> str | None:
    """Why a month's totals are refused (more than 24 h a day of its period), or None."""
    ceiling = day_count * DAY_MAX_MINUTES
    if hours.total > ceiling:
        return _over(
            hours, ceiling, f"24 heures par jour sur {plural(day_count, 'jour')} de la période"
        )
    return None


def signed(minutes: int) -> str:
    """``30`` → « +0 h 30 », ``-60`` → « −1 h », ``0`` → « 0 h »."""
    if minutes == 0:
        return "0 h"
    return f"{'+' if minutes > 0 else '−'}{format_minutes(abs(minutes))}"


def day_gap_note(hours: Hours, planned_presence: int) -> str:
    """« +0 h 30 par rapport au prévu » when the day's presence is above its plan, else ""."""
    gap = hours.presence - planned_presence
    return f"{signed(gap)} par rapport au prévu" if gap > 0 else ""


def gap_reasons(
    presence: int, *, month_plan: int | None, earlier_presence: int, financed: int
) -> list[str]:
    """Why the month needs a « Motif de l'écart »: its presence above its plan, the dossier's
    cumulative presence above its financed hours (0: not known). Empty: no reason needed."""
    reasons = []
    if month_plan is not None and presence > month_plan:
        reasons.append(
            f"la présence du mois ({format_minutes(presence)}) dépasse le prévu du mois "
            f"({format_minutes(month_plan)}) de {format_minutes(presence - month_plan)}"
        )
    cumulative = earlier_presence + presence
    if financed and cumulative > financed:
        reasons.append(
            f"la présence cumulée du dossier ({format_minutes(cumulative)}) dépasse les heures "
            f"financées ({format_minutes(financed)}) de {format_minutes(cumulative - financed)}"
        )
    return reasons


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
