"""A dossier's life after its approval, recorded by the funder's agent: an early end (an
abandonment, a hiring…) and interruptions (sick leave, maternity leave…).

- After an early end, the months past its date disappear from the dossier unless they hold
  hours (``Dossier.months``); the planned days past it are removed.
- A month whose days all lie in an interruption shows « Formation interrompue » and opens
  no entry (``certificates.status``); hours entered before are kept.

Each change locks the dossier's row, is audited, and its event tells the organisation, the
beneficiary and the employer (``notifications.handlers``).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.dossiers.models import Dossier, Interruption, PlannedDay
from realisa.lib.errors import Invalid


def _dates(start: date, end: date) -> str:
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)


def end_early(
    dossier: Dossier,
    *,
    on: date,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Dossier:
    """The training stops after ``on``, its last day."""
    reason = " ".join(reason.split())
    _check_end(dossier, on, reason)
    with transaction.atomic():
        locked = _locked(dossier)
        locked.ended_on, locked.end_reason = on, reason
        locked.save(update_fields=["ended_on", "end_reason"])
        removed, _ = PlannedDay.objects.filter(dossier=locked, date__gt=on).delete()
        kept = sorted(
            f"{month:%Y-%m}"
            for month in locked.certificates.filter(month__gt=on.replace(day=1)).values_list(
                "month", flat=True
            )
        )
        record(
            EventType.DOSSIER_ENDED_EARLY,
            actor=actor,
            obj=locked,
            request=request,
            payload={
                "dossier": locked.number,
                "ended_on": on.isoformat(),
                "reason": reason,
                "planned_days_removed": removed,
                "months_kept_with_hours": kept,
            },
        )
    return locked


def _check_end(dossier: Dossier, on: date, reason: str) -> None:
    errors = {}
    if not reason:
        errors["reason"] = "Indiquez le motif de la fin anticipée (abandon, embauche…)."
    if not dossier.start_date <= on < dossier.end_date:
        errors["on"] = (
            "Le dernier jour de formation doit être compris dans la formation et avant sa fin "
            f"prévue ({_dates(dossier.start_date, dossier.end_date)})."
        )
    if errors:
        raise Invalid(errors=errors)


def _check_interruption(dossier: Dossier, start: date, end: date, reason: str) -> None:
    errors = {}
    if not reason:
        errors["reason"] = "Indiquez le motif de l'interruption (arrêt maladie…)."
    if end < start:
        errors["end"] = "La fin de l'interruption précède son début."
    elif start < dossier.start_date or end > dossier.last_day:
        errors["start"] = (
            "L'interruption doit être comprise dans la formation "
            f"({_dates(dossier.start_date, dossier.last_day)})."
        )
    if errors:
        raise Invalid(errors=errors)


def interrupt(
    dossier: Dossier,
    *,
    start: date,
    end: date,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Interruption:
    """The training stops from ``start`` to ``end`` (both included), then resumes."""
    reason = " ".join(reason.split())
    _check_interruption(dossier, start, end, reason)
    with transaction.atomic():
        locked = _locked(dossier)
        overlapping = locked.interruptions.filter(start__lte=end, end__gte=start).first()
        if overlapping is not None:
            raise Invalid(
                errors={
                    "start": "Cette période chevauche l'interruption "
                    f"{_dates(overlapping.start, overlapping.end)}."
                }
            )
        interruption = Interruption.objects.create(
            dossier=locked, start=start, end=end, reason=reason
        )
        record(
            EventType.DOSSIER_INTERRUPTED,
            actor=actor,
            obj=locked,
            request=request,
            payload={
                "dossier": locked.number,
                "interruption": interruption.pk,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "reason": reason,
            },
        )
    return interruption


def remove_interruption(
    interruption: Interruption, *, actor: User, request: HttpRequest | None = None
) -> None:
    """An interruption recorded by mistake: its months open for entry again."""
    with transaction.atomic():
        locked = _locked(interruption.dossier)
        record(
            EventType.INTERRUPTION_REMOVED,
            actor=actor,
            obj=locked,
            request=request,
            payload={
                "dossier": locked.number,
                "start": interruption.start.isoformat(),
                "end": interruption.end.isoformat(),
                "reason": interruption.reason,
            },
        )
        interruption.delete()
