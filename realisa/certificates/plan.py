"""One month of a dossier as the entry window needs it: its period, plan and status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from realisa.certificates.models import Certificate
from realisa.certificates.rules import Hours
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod, training_months


@dataclass(frozen=True)
class MonthPlan:
    """The month's days within the training and the planned calendar's days among them.

    The training days of a month are its planned days (PlannedDay rows): the day grid of
    a paperless dossier lists them, and a day outside them is refused.
    """

    period: MonthPeriod
    planned: dict[date, Hours] = field(default_factory=dict)
    is_paperless: bool = False

    @property
    def uses_day_grid(self) -> bool:
        return self.is_paperless and bool(self.planned)

    @property
    def planned_total(self) -> int | None:
        """The month's planned minutes, or None when the month has no planned day."""
        if not self.planned:
            return None
        return sum(hours.total for hours in self.planned.values())

    @property
    def day_count(self) -> int:
        return (self.period.last_day - self.period.first_day).days + 1


def find_period(dossier: Dossier, month: date) -> MonthPeriod | None:
    """The training's period for the calendar month of ``month``, or None outside it."""
    key = month.replace(day=1)
    for period in training_months(dossier.start_date, dossier.end_date):
        if period.month == key:
            return period
    return None


def month_plan(dossier: Dossier, period: MonthPeriod) -> MonthPlan:
    days = dossier.planned_days.filter(date__range=(period.first_day, period.last_day))
    planned = {day.date: Hours(day.centre_minutes, day.internship_minutes) for day in days}
    return MonthPlan(period, planned, dossier.is_paperless)


def refusal_message(status: MonthStatus, period: MonthPeriod) -> str:
    """Why hours cannot be entered for a month in ``status``, in the seed's words."""
    if status == MonthStatus.LOCKED:
        return str(status.label)
    if status == MonthStatus.NOT_OPEN:
        return f"{status.label} : la saisie de ce mois ouvre le {period.opens_on:%d/%m/%Y}."
    return f"Les heures de ce mois ne peuvent plus être modifiées (statut : « {status.label} »)."


def certificate_hours(certificate: Certificate) -> Hours:
    return Hours(
        certificate.centre_minutes, certificate.internship_minutes, certificate.absence_minutes
    )
