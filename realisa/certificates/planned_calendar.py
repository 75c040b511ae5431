"""The organisation enters a dossier's planned calendar « dans son volet »: a weekly pattern
with its exceptions (``dossiers.planning``), previewed against the financed hours, then
saved in place of the planned days. « Charger le calendrier » reads what is saved.

A month whose hours are entered keeps the planned days it was entered against: the new
plan replaces only the days of the months without hours. Each change is audited
(``dossier.plan_changed``), so the funder reads who changed the plan and when.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core import signing
from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates.abilities import identity_of, may_edit_plan
from realisa.certificates.models import Certificate
from realisa.dossiers.models import Dossier, PlannedDay
from realisa.dossiers.planning import (
    DayPlan,
    PatternException,
    WeeklyPattern,
    plan_days,
    total_minutes,
)
from realisa.lib.errors import NotAllowed
from realisa.lib.french import french_month


@dataclass(frozen=True)
class MonthPlanLine:
    """A month of the plan: its days, its planned presence, and whether it keeps its days
    because its hours are entered."""

    month: date
    days: int
    minutes: int
    kept: bool

    @property
    def label(self) -> str:
        return french_month(self.month).capitalize()


@dataclass(frozen=True)
class PlanPreview:
    """The plan as it would stand: the pattern's days, the entered months' days kept."""

    days: dict[date, DayPlan]
    months: list[MonthPlanLine]
    financed: int

    @property
    def total(self) -> int:
        return total_minutes(self.days)

    @property
    def excess(self) -> int:
        """The planned presence above the financed hours (0 within them)."""
        return max(0, self.total - self.financed)

    @property
    def shortfall(self) -> int:
        """The financed hours the plan leaves out (0 when it reaches them)."""
        return max(0, self.financed - self.total)


def months_with_hours(dossier: Dossier) -> set[date]:
    return set(Certificate.objects.filter(dossier=dossier).values_list("month", flat=True))


def current_days(dossier: Dossier) -> dict[date, DayPlan]:
    return {
        day.date: DayPlan(day.centre_minutes, day.internship_minutes)
        for day in dossier.planned_days.all()
    }


def summary(days: dict[date, DayPlan], kept: set[date], financed: int) -> PlanPreview:
    """``days`` month by month; a month in ``kept`` is marked as keeping its days."""
    lines: dict[date, list[DayPlan]] = {}
    for day, plan in sorted(days.items()):
        lines.setdefault(day.replace(day=1), []).append(plan)
    months = [
        MonthPlanLine(month, len(plans), sum(p.presence for p in plans), month in kept)
        for month, plans in lines.items()
    ]
    return PlanPreview(days, months, financed)


def preview_plan(
    dossier: Dossier, new: dict[date, DayPlan], kept: set[date] | None = None
) -> PlanPreview:
    """The plan as it would stand with ``new`` (from a weekly pattern or a planning tool's
    export): its days, except in the months whose hours are entered (``kept``, read when not
    given), which keep theirs."""
    kept = months_with_hours(dossier) if kept is None else kept
    days = {day: plan for day, plan in new.items() if day.replace(day=1) not in kept}
    days |= {day: p for day, p in current_days(dossier).items() if day.replace(day=1) in kept}
    return summary(days, kept, dossier.planned_minutes)


def pattern_plan(
    dossier: Dossier, pattern: WeeklyPattern, exceptions: Iterable[PatternException]
) -> dict[date, DayPlan]:
    """The training's days from a weekly pattern and its exceptions."""
    return plan_days(dossier.start_date, dossier.end_date, pattern, exceptions)


def save_plan(
    dossier: Dossier,
    new: dict[date, DayPlan],
    *,
    source: str,
    actor: User,
    request: HttpRequest | None,
) -> PlanPreview:
    """Replace the planned days of the months without hours by ``new``'s; checked again
    under the dossier's row lock, the months entered meanwhile kept too. ``source`` says
    where the plan came from (« semaine type », « fichier .ics ») for the audit."""
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("beneficiary")
            .get(pk=dossier.pk)
        )
        if not may_edit_plan(identity_of(actor), locked):
            raise NotAllowed("Le calendrier prévisionnel de ce dossier n'est pas le vôtre.")
        kept = months_with_hours(locked)
        plan = preview_plan(locked, new, kept)
        _replace_days(locked, plan, kept)
        record(
            EventType.PLAN_CHANGED,
            actor=actor,
            obj=locked,
            request=request,
            payload={
                "source": source,
                "jours": len(plan.days),
                "total_minutes": plan.total,
                "mois_remplaces": [f"{line.month:%Y-%m}" for line in plan.months if not line.kept],
                "mois_conserves": sorted(f"{month:%Y-%m}" for month in kept),
            },
        )
    return plan


def _replace_days(dossier: Dossier, plan: PlanPreview, kept: set[date]) -> None:
    """``plan``'s days in place of the planned days of the months not ``kept``."""
    in_kept = {day for day in plan.days if day.replace(day=1) in kept}
    dossier.planned_days.exclude(date__in=in_kept).delete()
    PlannedDay.objects.add(
        dossier, {day: hours for day, hours in plan.days.items() if day not in in_kept}
    )


def pattern_of(days: dict[date, DayPlan]) -> WeeklyPattern:
    """The weekly pattern an existing plan most likely came from: each weekday's most
    frequent hours (none for a weekday never planned), to start the form from."""
    by_weekday: list[Counter[DayPlan]] = [Counter() for _ in range(7)]
    for day, plan in days.items():
        by_weekday[day.weekday()][plan] += 1
    return WeeklyPattern(
        tuple(counts.most_common(1)[0][0] if counts else DayPlan() for counts in by_weekday)
    )


SIGNING_SALT = "realisa.planned-calendar"


def sign_days(days: dict[date, DayPlan]) -> str:
    """The previewed days, signed: what « Enregistrer » saves is what was previewed."""
    payload = {
        f"{day:%Y-%m-%d}": [p.centre_minutes, p.internship_minutes] for day, p in days.items()
    }
    return signing.dumps(json.dumps(payload, sort_keys=True), salt=SIGNING_SALT, compress=True)


def unsign_days(token: str) -> dict[date, DayPlan]:
    """The days a preview signed, within the hour; ``signing.BadSignature`` otherwise."""
    payload = json.loads(signing.loads(token, salt=SIGNING_SALT, max_age=3600))
    return {date.fromisoformat(day): DayPlan(*minutes) for day, minutes in payload.items()}
