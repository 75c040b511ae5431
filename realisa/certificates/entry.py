"""Entering a month's hours (saisie des heures): the transition to `entered`.

``enter_hours`` is the one function that writes a month's hours. It locks the dossier
row, so that two entries of the same dossier, including the very first one that creates
the month's Certificate, run one after the other; then it checks, in order: the status
(only « En attente de la saisie de l'organisme » or entered-not-certified), the version
the form was shown (optimistic check: a stale save never overwrites silently), and the
hours against the rules of ``rules.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates import lifecycle
from realisa.certificates.abilities import (
    Party,
    actor_of,
    dossier_party,
    identity_of,
    may_certify_online,
)
from realisa.certificates.lifecycle import Event, NotNow
from realisa.certificates.models import Certificate, CertificateDay
from realisa.certificates.plan import (
    MonthPlan,
    certificate_hours,
    find_period,
    month_plan,
)
from realisa.certificates.rules import (
    GAP_REASON_MAX_LENGTH,
    DayHours,
    Hours,
    day_error,
    month_error,
    plan_gap_warning,
    sum_hours,
)
from realisa.choices import VersionReason
from realisa.documents.services import generate_version
from realisa.dossiers.models import Dossier
from realisa.lib.client_ip import client_ip
from realisa.lib.errors import Conflict, Invalid, NotAllowed
from realisa.lib.hours import format_minutes

STALE_MESSAGE = (
    "Ces heures ont été modifiées entre-temps par une autre personne : "
    "voici les valeurs actuelles. Vérifiez-les puis saisissez à nouveau."
)


class NotAMember(NotAllowed):
    """Only the members of the dossier's organisation enter its hours."""


class StaleEntry(Conflict):
    """The hours changed since the form was shown; ``certificate`` holds the current ones."""

    def __init__(self, certificate: Certificate | None) -> None:
        super().__init__(STALE_MESSAGE)
        self.certificate = certificate


class InvalidEntry(Invalid):
    """The hours break a rule; ``errors`` maps a field key to its French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors=errors)


@dataclass(frozen=True)
class HoursEntry:
    hours: Hours  # the month's totals; ignored with a day grid, whose sums are the totals
    days: list[DayHours] | None = None
    certifies_entry: bool = False
    accepts_ip_use: bool = False
    gap_reason: str = ""  # « Motif de l'écart »: required above the plan or the financed hours
    zero_hours_confirmed: bool = False  # « Je certifie zéro heure pour ce mois »
    import_sha256: str = ""  # the imported file's, when the hours come from one (hours_import)


@dataclass(frozen=True)
class EntryResult:
    certificate: Certificate
    warning: str | None  # the non-blocking gap with the plan, when there is one


def day_key(day: date) -> str:
    return f"day:{day.isoformat()}"


def entry_errors(
    entry: HoursEntry, plan: MonthPlan, *, ip_consent_required: bool
) -> dict[str, str]:
    """Every rule the entry breaks, keyed by field: ``centre``, ``absence``, ``day:<date>``,
    ``days``, ``gap_reason``, ``zero_hours_confirmed``, ``certifies_entry``,
    ``accepts_ip_use``."""
    errors = _day_errors(entry.days, plan) if plan.uses_day_grid else {}
    if not plan.uses_day_grid and entry.days is not None:
        errors["days"] = "Ce dossier n'a pas de saisie jour par jour pour ce mois."
    totals = totals_of(entry, plan)
    if not errors:
        problem = month_error(totals, day_count=plan.day_count)
        if problem:
            errors["days" if plan.uses_day_grid else "absence"] = problem
    errors |= _decision_errors(entry, plan, totals)
    return errors | box_errors(entry, ip_consent_required=ip_consent_required)


def box_errors(entry: HoursEntry, *, ip_consent_required: bool) -> dict[str, str]:
    """The two boxes under the hours (the import page's too), when they are left empty."""
    errors = {}
    if not entry.certifies_entry:
        errors["certifies_entry"] = "Cochez « Je certifie la saisie des heures » pour valider."
    if ip_consent_required and not entry.accepts_ip_use:
        errors["accepts_ip_use"] = (
            "Cochez « J'accepte que mon adresse IP soit utilisée » : elle est obligatoire "
            "pour la certification 100 % dématérialisée."
        )
    return errors


def _decision_errors(entry: HoursEntry, plan: MonthPlan, totals: Hours) -> dict[str, str]:
    """What the person must decide: zero hours, and the reason for a gap above the plan."""
    errors: dict[str, str] = {}
    if totals.presence == 0 and not entry.zero_hours_confirmed:
        errors["zero_hours_confirmed"] = (
            "Aucune heure de présence n'est saisie : cochez « Je certifie zéro heure pour ce "
            "mois » pour enregistrer 0 h, ou saisissez les heures."
        )
    elif totals.presence > 0 and entry.zero_hours_confirmed:
        errors["zero_hours_confirmed"] = (
            f"Vous avez saisi {format_minutes(totals.presence)} de présence : décochez « Je "
            "certifie zéro heure pour ce mois » ou videz les heures."
        )
    reasons = plan.gap_reasons(totals.presence)
    if reasons and not entry.gap_reason.strip():
        errors["gap_reason"] = f"Indiquez le motif de l'écart : {' ; '.join(reasons)}."
    elif len(entry.gap_reason.strip()) > GAP_REASON_MAX_LENGTH:
        errors["gap_reason"] = (
            f"Le motif de l'écart tient en {GAP_REASON_MAX_LENGTH} caractères au plus."
        )
    return errors


def _day_errors(days: list[DayHours] | None, plan: MonthPlan) -> dict[str, str]:
    if days is None:
        return {"days": "Saisissez les heures jour par jour."}
    errors: dict[str, str] = {}
    seen: set[date] = set()
    for day in days:
        if not plan.period.contains(day.day):
            errors[day_key(day.day)] = (
                f"Le {day.day:%d/%m/%Y} n'est pas un jour de ce mois pendant la formation "
                f"(du {plan.period.first_day:%d/%m/%Y} au {plan.period.last_day:%d/%m/%Y})."
            )
        elif day.day in seen:
            errors[day_key(day.day)] = f"Le {day.day:%d/%m/%Y} est saisi deux fois."
        else:
            problem = day_error(day.hours)
            if problem:
                errors[day_key(day.day)] = problem
        seen.add(day.day)
    return errors


def totals_of(entry: HoursEntry, plan: MonthPlan) -> Hours:
    if plan.uses_day_grid and entry.days is not None:
        return sum_hours(entry.days)
    return entry.hours


def check_member(user: User, dossier: Dossier) -> None:
    """Only the members of the dossier's organisation enter hours or certify them (read
    from the user's own row: no query)."""
    if dossier_party(identity_of(user), dossier) != Party.ORGANISATION:
        raise NotAMember("Seuls les membres de l'organisme de formation saisissent les heures.")


def enter_hours(
    dossier: Dossier,
    month: date,
    *,
    actor: User,
    entry: HoursEntry,
    expected_version: int,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> EntryResult:
    """Save the month's hours; ``expected_version`` is the version the form was shown
    (0 for a month without hours yet). Raises a ``Refused`` subclass on refusal."""
    check_member(actor, dossier)
    period = find_period(dossier, month)
    if period is None:
        raise NotNow("Ce mois ne fait pas partie de la formation.")
    with transaction.atomic():
        certificate = lifecycle.locked_for_entry(dossier, period.month)
        lifecycle.check(certificate, Event.ENTERED, today)
        if certificate.version != expected_version:
            raise StaleEntry(certificate if certificate.pk else None)
        plan = month_plan(dossier, period)
        errors = entry_errors(entry, plan, ip_consent_required=may_certify_online(actor_of(actor)))
        if errors:
            raise InvalidEntry(errors)
        totals = totals_of(entry, plan)
        lifecycle.apply(
            certificate,
            Event.ENTERED,
            actor=actor,
            request=request,
            payload=_entry_event(certificate, totals, entry, plan),  # before the changes
            changes=_entry_changes(totals, actor, entry, plan, request),
            today=today,
        )
        _replace_days(certificate, _kept_days(entry, plan))
        generate_version(certificate, reason=VersionReason.ENTRY, actor=actor)
    return EntryResult(certificate, plan_gap_warning(totals, plan.planned_total))


def _entry_event(
    certificate: Certificate, totals: Hours, entry: HoursEntry, plan: MonthPlan
) -> dict[str, Any]:
    """What the journal keeps of an entry: the hours before and after, and the consent."""
    old = certificate_hours(certificate) if certificate.pk else None
    return {
        "dossier": certificate.dossier.number,
        "month": f"{certificate.month:%Y-%m}",
        "version": certificate.version + 1,
        "old": old.as_dict() if old else None,
        "new": totals.as_dict(),
        "days": len(entry.days) if plan.uses_day_grid and entry.days else 0,
        "planned": plan.planned_total,
        "gap_reason": kept_reason(entry, plan, totals),
        "zero_hours_confirmed": totals.presence == 0,
        "accepts_ip_use": entry.accepts_ip_use,
        **({"import_sha256": entry.import_sha256} if entry.import_sha256 else {}),
    }


def kept_reason(entry: HoursEntry, plan: MonthPlan, totals: Hours) -> str:
    """The gap reason as stored: cleared when the month no longer needs one."""
    return entry.gap_reason.strip() if plan.gap_reasons(totals.presence) else ""


def _entry_changes(
    totals: Hours, actor: User, entry: HoursEntry, plan: MonthPlan, request: HttpRequest | None
) -> dict[str, Any]:
    """What an entry writes on the month besides its status."""
    return {
        "centre_minutes": totals.centre,
        "internship_minutes": totals.internship,
        "absence_minutes": totals.absence,
        "entered_at": timezone.now(),
        "entered_by": actor,
        "certifies_entry": entry.certifies_entry,
        "accepts_ip_use": entry.accepts_ip_use,
        "entered_ip": client_ip(request) if entry.accepts_ip_use else None,
        "gap_reason": kept_reason(entry, plan, totals),
        "zero_hours_confirmed": totals.presence == 0,
    }


def _kept_days(entry: HoursEntry, plan: MonthPlan) -> list[DayHours] | None:
    """The grid's days as stored: every planned day, and the added days that hold hours."""
    if not plan.uses_day_grid or entry.days is None:
        return None
    return [day for day in entry.days if day.day in plan.planned or day.hours.total]


def _replace_days(certificate: Certificate, days: list[DayHours] | None) -> None:
    certificate.days.all().delete()
    if days:
        CertificateDay.objects.bulk_create(
            CertificateDay(
                certificate=certificate,
                date=day.day,
                centre_minutes=day.hours.centre,
                internship_minutes=day.hours.internship,
                absence_minutes=day.hours.absence,
            )
            for day in days
        )
