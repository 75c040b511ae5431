"""A dossier's planned calendar sent by the funder's instruction system: day by day, or as
a weekly pattern with its exceptions (``dossiers.planning``).

Sending it makes the plan the funder's (``Dossier.plan_owner``, journalled as a
``dossier.updated``): from then on the organisation reads it and no longer enters it. The
days are saved through ``planned_calendar.save_plan``, as the calendar page saves them: a
month whose hours are entered keeps its days. ``save_plan`` journals every save, even of
the same days, so it is not called when the plan would stay as it is: the same plan sent
again writes nothing and journals nothing.

A plan with a day outside the training, a day sent twice or more than 24 hours in a day is
refused whole (``PlanRefused``, each fault under its key): half a calendar is no plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates.planned_calendar import (
    PlanPreview,
    current_days,
    months_with_hours,
    pattern_plan,
    preview_plan,
    save_plan,
)
from realisa.choices import PlanOwner
from realisa.dossiers.models import Dossier
from realisa.dossiers.planning import DayPlan, PatternException, WeeklyPattern
from realisa.lib.errors import Invalid, NotAllowed
from realisa.lib.french import WEEKDAYS, plural
from realisa.lib.hours import DAY_MAX_MINUTES, format_minutes

SOURCE = "API"
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class PlanRefused(Invalid):
    """The plan sent breaks a rule; nothing was saved."""


@dataclass(frozen=True)
class SentDays:
    """The plan day by day, as sent (a date may come twice: it is refused)."""

    days: list[tuple[date, DayPlan]]


@dataclass(frozen=True)
class SentPattern:
    pattern: WeeklyPattern
    exceptions: list[PatternException]


@dataclass(frozen=True)
class PlanResult:
    plan: PlanPreview
    months_with_hours: set[date]  # kept as they were
    changed: bool


def _training(dossier: Dossier) -> str:
    return f"du {dossier.start_date:%d/%m/%Y} au {dossier.end_date:%d/%m/%Y}"


def _too_long(plan: DayPlan) -> str:
    return (
        f"{format_minutes(plan.presence)} en centre et en stage, plus que 24 heures."
        if plan.presence > DAY_MAX_MINUTES
        else ""
    )


def _days(dossier: Dossier, sent: SentDays, errors: dict[str, str]) -> dict[date, DayPlan]:
    days: dict[date, DayPlan] = {}
    seen: set[date] = set()
    for day, plan in sent.days:
        key, when = f"day:{day.isoformat()}", f"Le {day:%d/%m/%Y}"
        if not dossier.start_date <= day <= dossier.end_date:
            errors[key] = f"{when} est hors de la formation ({_training(dossier)})."
        elif day in seen:
            errors[key] = f"{when} est envoyé deux fois."
        elif problem := _too_long(plan):
            errors[key] = f"{when} : {problem}"
        elif plan.presence:  # a day without hours is a day off: not a planned day
            days[day] = plan
        seen.add(day)
    if not days and not errors:
        errors["days"] = "Aucun jour n'a d'heures prévues : envoyez au moins un jour."
    return days


def _pattern(dossier: Dossier, sent: SentPattern, errors: dict[str, str]) -> dict[date, DayPlan]:
    for key, name, plan in zip(WEEKDAY_KEYS, WEEKDAYS, sent.pattern.weekdays, strict=True):
        if problem := _too_long(plan):
            errors[f"pattern.{key}"] = f"Le {name} : {problem}"
    if not any(plan.presence for plan in sent.pattern.weekdays):
        errors["pattern"] = "Indiquez les heures d'au moins un jour de la semaine."
    for number, period in enumerate(sent.exceptions):
        key = f"exceptions.{number}"
        if period.last_day < period.first_day:
            errors[key] = "La fin de la période précède son début."
        elif period.first_day < dossier.start_date or period.last_day > dossier.end_date:
            errors[key] = f"La période sort de la formation ({_training(dossier)})."
    if errors:
        return {}
    days = pattern_plan(dossier, sent.pattern, sent.exceptions)
    if not days:
        errors["pattern"] = (
            f"Ce modèle ne prévoit aucun jour de la formation ({_training(dossier)}), "
            "jours fériés et fermetures ôtés."
        )
    return days


def days_of(dossier: Dossier, sent: SentDays | SentPattern) -> dict[date, DayPlan]:
    """The planned days ``sent`` describes, or ``PlanRefused`` with each fault."""
    errors: dict[str, str] = {}
    if isinstance(sent, SentDays):
        days = _days(dossier, sent, errors)
    else:
        days = _pattern(dossier, sent, errors)
    if errors:
        raise PlanRefused(
            f"Calendrier prévisionnel refusé, rien n'a été enregistré : "
            f"{plural(len(errors), 'erreur')} (voir « errors »).",
            errors,
        )
    return days


def set_plan_owner(
    dossier: Dossier,
    owner: PlanOwner,
    *,
    actor: User,
    source: str,
    request: HttpRequest | None,
) -> bool:
    """``owner`` enters the dossier's plan from now on (journalled, ``source``: « api »,
    « portail »); whether that changed anything."""
    if dossier.plan_owner == owner:
        return False
    label = str(Dossier._meta.get_field("plan_owner").verbose_name)
    before = dossier.get_plan_owner_display()
    dossier.plan_owner = owner
    dossier.save(update_fields=["plan_owner"])
    record(
        EventType.DOSSIER_UPDATED,
        actor=actor,
        obj=dossier,
        request=request,
        payload={
            "dossier": dossier.number,
            "changes": [[label, before, str(owner.label)]],
            "source": source,
        },
    )
    return True


def put_plan(
    dossier: Dossier,
    sent: SentDays | SentPattern,
    *,
    actor: User,
    request: HttpRequest | None = None,
) -> PlanResult:
    """Make ``sent`` the dossier's plan, the funder's from now on; nothing is written (nor
    journalled) when it is already the plan."""
    if not actor.is_agent:
        raise NotAllowed("Seuls les agents du financeur envoient son calendrier prévisionnel.")
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        new = days_of(locked, sent)
        kept = months_with_hours(locked)
        plan = preview_plan(locked, new, kept)
        taken = set_plan_owner(locked, PlanOwner.FUNDER, actor=actor, source="api", request=request)
        if plan.days == current_days(locked):
            return PlanResult(plan, kept, changed=taken)
        plan = save_plan(locked, new, source=SOURCE, actor=actor, request=request)
    return PlanResult(plan, kept, changed=True)
