"""One month of a dossier as the entry window needs it: its period, plan and status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Sum

from realisa.certificates.models import Certificate
from realisa.certificates.rules import Hours, gap_reasons
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod


@dataclass(frozen=True)
class MonthPlan:
    """What a month's hours are compared with.

    With a planned calendar (the dossier has PlannedDay rows), the month's plan is the sum
    of its planned days, each day compared with its own planned hours; a paperless dossier
    enters it day by day and may add days outside the plan. Without a calendar there is no
    month plan: the check is cumulative, the presence of the dossier's other months on
    record (``earlier_presence``) plus this month's against the financed hours.
    """

    period: MonthPeriod
    planned: dict[date, Hours] = field(default_factory=dict)
    is_paperless: bool = False
    has_calendar: bool = False
    earlier_presence: int = 0
    financed: int = 0

    @property
    def uses_day_grid(self) -> bool:
        return self.is_paperless and self.has_calendar

    @property
    def planned_total(self) -> int | None:
        """The month's planned presence in minutes (0 when no day of the month is planned),
        or None without a planned calendar."""
        if not self.has_calendar:
            return None
        return sum(hours.presence for hours in self.planned.values())

    @property
    def day_count(self) -> int:
        return (self.period.last_day - self.period.first_day).days + 1

    def compare(self, hours: Hours) -> PlanComparison:
        """What the window shows before « OK »: plan, hours entered and their difference."""
        return PlanComparison(self, hours)

    def gap_reasons(self, presence: int) -> list[str]:
        """Why a month with ``presence`` needs a « Motif de l'écart » (empty: it does not)."""
        return gap_reasons(
            presence,
            month_plan=self.planned_total,
            earlier_presence=self.earlier_presence,
            financed=self.financed,
        )


@dataclass(frozen=True)
class PlanComparison:
    """A month's hours against its plan (presence, and presence + absence) and against
    the dossier's financed hours (cumulative presence)."""

    plan: MonthPlan
    hours: Hours

    @property
    def planned(self) -> int | None:
        return self.plan.planned_total

    @property
    def presence_gap(self) -> int | None:
        return None if self.planned is None else self.hours.presence - self.planned

    @property
    def total_gap(self) -> int | None:
        return None if self.planned is None else self.hours.total - self.planned

    @property
    def cumulative(self) -> int:
        return self.plan.earlier_presence + self.hours.presence

    @property
    def financed(self) -> int:
        return self.plan.financed

    @property
    def financed_gap(self) -> int:
        return self.cumulative - self.plan.financed

    @property
    def reasons(self) -> list[str]:
        """Why a « Motif de l'écart » is required (empty: it is not)."""
        return self.plan.gap_reasons(self.hours.presence)


def find_period(dossier: Dossier, month: date) -> MonthPeriod | None:
    """The training's period for the calendar month of ``month``, or None outside it."""
    key = month.replace(day=1)
    held: set[date] = set()
    if key > dossier.last_day:  # after an early end, a month stays while it holds hours
        held = set(dossier.certificates.filter(month=key).values_list("month", flat=True))
    for period in dossier.months(held):
        if period.month == key:
            return period
    return None


def month_plan(dossier: Dossier, period: MonthPeriod) -> MonthPlan:
    days = dossier.planned_days.filter(date__range=(period.first_day, period.last_day))
    planned = {day.date: Hours(day.centre_minutes, day.internship_minutes) for day in days}
    return MonthPlan(
        period,
        planned,
        dossier.is_paperless,
        has_calendar=bool(planned) or dossier.planned_days.exists(),
        earlier_presence=earlier_presence(dossier, period.month),
        financed=dossier.planned_minutes,
    )


def plan_snapshot(certificate: Certificate) -> list[list[Any]] | None:
    """The month's planned days as they stand, for the month to keep at its certification:
    ``[[date, centre, internship], …]`` in minutes, or None when the dossier has no planned
    calendar at all."""
    dossier = certificate.dossier
    period = find_period(dossier, certificate.month)
    if period is None or not dossier.planned_days.exists():
        return None
    days = dossier.planned_days.filter(date__range=(period.first_day, period.last_day))
    return [[d.date.isoformat(), d.centre_minutes, d.internship_minutes] for d in days]


@dataclass(frozen=True)
class CertifiedPlan:
    """What the month page says of the plan a month was certified against."""

    total: int  # planned presence, minutes
    days: int
    current_total: int  # the plan of the same days now

    @property
    def changed(self) -> bool:
        return self.total != self.current_total


def certified_plan(certificate: Certificate) -> CertifiedPlan | None:
    """The plan kept at certification beside today's plan of the month; None when the
    month is not certified or was certified without a planned calendar."""
    snapshot = certificate.planned_snapshot
    if snapshot is None:
        return None
    period = find_period(certificate.dossier, certificate.month)
    now = 0
    if period is not None:
        days = certificate.dossier.planned_days.filter(
            date__range=(period.first_day, period.last_day)
        )
        now = days.aggregate(total=Sum(F("centre_minutes") + F("internship_minutes")))["total"]
    return CertifiedPlan(
        total=sum(centre + internship for _, centre, internship in snapshot),
        days=len(snapshot),
        current_total=now or 0,
    )


def earlier_presence(dossier: Dossier, month: date) -> int:
    """The presence of the dossier's other months on record (entered, certified or later).
    Counting only certified months would let two months entered side by side each stay
    within the financed hours alone, and together exceed them."""
    others = Certificate.objects.filter(dossier=dossier).exclude(month=month)
    total = others.aggregate(presence=Sum(F("centre_minutes") + F("internship_minutes")))
    return int(total["presence"] or 0)


def refusal_message(status: MonthStatus, period: MonthPeriod) -> str:
    """Why hours cannot be entered for a month in ``status``, in the seed's words."""
    if status == MonthStatus.LOCKED:
        return str(status.label)
    if status == MonthStatus.INTERRUPTED:
        return f"{status.label} : ce mois n'ouvre pas de saisie."
    if status == MonthStatus.NOT_OPEN:
        return f"{status.label} : la saisie de ce mois ouvre le {period.opens_on:%d/%m/%Y}."
    return f"Les heures de ce mois ne peuvent plus être modifiées (statut : « {status.label} »)."


def certificate_hours(certificate: Certificate) -> Hours:
    return Hours(
        certificate.centre_minutes, certificate.internship_minutes, certificate.absence_minutes
    )
