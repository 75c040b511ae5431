"""A dossier's life after its approval: an early end (an abandonment, a hiring…) and
interruptions (sick leave, maternity leave…), recorded by an agent on « Suivi du dossier »,
or sent by the instruction system through the import and the API (``dossier_sync``).

- After an early end, the months past its date disappear from the dossier unless they hold
  hours (``Dossier.months``); the planned days past it are removed.
- A month whose days all lie in an interruption shows « Formation interrompue » and opens
  no entry (``certificates.status``); hours entered before are kept.

The checks (``end_errors``, ``interruption_errors``) and the writes (``write_end``,
``write_interruption``, which return their audit payload) serve both paths. Each change is
audited, and its event tells the organisation, the beneficiary and the employer
(``notifications.handlers``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.dossiers.models import Dossier, Interruption, PlannedDay
from realisa.lib.errors import Invalid


def dates_of(start: date, end: date) -> str:
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)


# --- checks: {field: French reason} ----------------------------------------------------


def end_errors(start: date, end: date, on: date, reason: str) -> dict[str, str]:
    """Why a training from ``start`` to ``end`` may not stop after ``on`` for ``reason``."""
    errors = {}
    if not reason:
        errors["reason"] = "Indiquez le motif de la fin anticipée (abandon, embauche…)."
    if not start <= on < end:
        errors["on"] = (
            "Le dernier jour de formation doit être compris dans la formation et avant sa fin "
            f"prévue ({dates_of(start, end)})."
        )
    return errors


def interruption_errors(
    first: date, last: date, start: date, end: date, reason: str
) -> dict[str, str]:
    """Why a training from ``first`` to ``last`` may not stop from ``start`` to ``end``."""
    errors = {}
    if not reason:
        errors["reason"] = "Indiquez le motif de l'interruption (arrêt maladie…)."
    if end < start:
        errors["end"] = "La fin de l'interruption précède son début."
    elif start < first or end > last:
        errors["start"] = (
            f"L'interruption doit être comprise dans la formation ({dates_of(first, last)})."
        )
    return errors


# --- writes: the change, and its event's payload ------------------------------------


def write_end(dossier: Dossier, on: date, reason: str) -> dict[str, Any]:
    """Stop ``dossier`` (locked by the caller) after ``on``; its event's payload."""
    dossier.ended_on, dossier.end_reason = on, reason
    dossier.save(update_fields=["ended_on", "end_reason"])
    removed, _ = PlannedDay.objects.filter(dossier=dossier, date__gt=on).delete()
    kept = dossier.certificates.filter(month__gt=on.replace(day=1)).values_list("month", flat=True)
    return {
        "dossier": dossier.number,
        "ended_on": on.isoformat(),
        "reason": reason,
        "planned_days_removed": removed,
        "months_kept_with_hours": sorted(f"{month:%Y-%m}" for month in kept),
    }


def write_interruption(
    dossier: Dossier, start: date, end: date, reason: str
) -> tuple[Interruption, dict[str, Any]]:
    interruption = Interruption.objects.create(dossier=dossier, start=start, end=end, reason=reason)
    payload = {
        "dossier": dossier.number,
        "interruption": interruption.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "reason": reason,
    }
    return interruption, payload


def delete_interruption(interruption: Interruption) -> dict[str, Any]:
    payload = {
        "dossier": interruption.dossier.number,
        "start": interruption.start.isoformat(),
        "end": interruption.end.isoformat(),
        "reason": interruption.reason,
    }
    interruption.delete()
    return payload


# --- the agent's steps ---------------------------------------------------------------


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
    errors = end_errors(dossier.start_date, dossier.end_date, on, reason)
    if errors:
        raise Invalid(errors=errors)
    with transaction.atomic():
        locked = _locked(dossier)
        payload = write_end(locked, on, reason)
        record(
            EventType.DOSSIER_ENDED_EARLY, actor=actor, obj=locked, request=request, payload=payload
        )
    return locked


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
    errors = interruption_errors(dossier.start_date, dossier.last_day, start, end, reason)
    if errors:
        raise Invalid(errors=errors)
    with transaction.atomic():
        locked = _locked(dossier)
        overlapping = locked.interruptions.filter(start__lte=end, end__gte=start).first()
        if overlapping is not None:
            period = dates_of(overlapping.start, overlapping.end)
            raise Invalid(errors={"start": f"Cette période chevauche l'interruption {period}."})
        interruption, payload = write_interruption(locked, start, end, reason)
        record(
            EventType.DOSSIER_INTERRUPTED, actor=actor, obj=locked, request=request, payload=payload
        )
    return interruption


def remove_interruption(
    interruption: Interruption, *, actor: User, request: HttpRequest | None = None
) -> None:
    """An interruption recorded by mistake: its months open for entry again."""
    with transaction.atomic():
        locked = _locked(interruption.dossier)
        payload = delete_interruption(interruption)
        record(
            EventType.INTERRUPTION_REMOVED,
            actor=actor,
            obj=locked,
            request=request,
            payload=payload,
        )
