"""A dossier's life as a line of the instruction system states it (``DossierData``'s
``ended_on`` and ``interruptions``): checked with the import's other rules, then written
through ``dossier_life`` like the agent's own steps, each change named in the line's result
and journalled with the line's other events."""

from __future__ import annotations

from typing import Any

from realisa.audit.events import EventType
from realisa.dossiers.models import Dossier
from realisa.funder.dossier_data import Change, DossierData, InterruptionData
from realisa.funder.dossier_life import (
    dates_of,
    delete_interruption,
    end_errors,
    interruption_errors,
    write_end,
    write_interruption,
)

Events = list[tuple[EventType, dict[str, Any]]]


def life_errors(data: DossierData) -> list[str]:
    """Why the line's early end or interruptions cannot be, in French."""
    errors = []
    if data.ended_on is not None:
        found = end_errors(data.start_date, data.end_date, data.ended_on, data.end_reason)
        errors += [f"fin anticipée : {reason}" for reason in found.values()]
    last = data.ended_on or data.end_date
    periods = sorted(data.interruptions or (), key=lambda i: i.start)
    for index, period in enumerate(periods):
        found = interruption_errors(data.start_date, last, period.start, period.end, period.reason)
        named = f"interruption {dates_of(period.start, period.end)}"
        errors += [f"{named} : {reason}" for reason in found.values()]
        if index and period.start <= periods[index - 1].end:
            errors.append(f"{named} : elle chevauche la précédente.")
    return errors


def sync_life(dossier: Dossier, data: DossierData, changes: list[Change]) -> Events:
    """Write what differs from the recorded life of ``dossier`` (locked by the caller);
    the events to record, each change added to ``changes``."""
    events: Events = []
    wanted = (data.ended_on, data.end_reason)
    if data.ended_on is not None and (dossier.ended_on, dossier.end_reason) != wanted:
        before = f"{dossier.ended_on:%d/%m/%Y}" if dossier.ended_on else "aucune"
        changes.append(Change("fin anticipée", before, f"{data.ended_on:%d/%m/%Y}"))
        payload = write_end(dossier, data.ended_on, data.end_reason)
        events.append((EventType.DOSSIER_ENDED_EARLY, payload))
    if data.interruptions is None:
        return events
    recorded = {InterruptionData(i.start, i.end, i.reason): i for i in dossier.interruptions.all()}
    for period, interruption in recorded.items():
        if period not in data.interruptions:
            changes.append(
                Change(f"interruption {dates_of(period.start, period.end)}", "", "retirée")
            )
            events.append((EventType.INTERRUPTION_REMOVED, delete_interruption(interruption)))
    for period in data.interruptions:
        if period not in recorded:
            changes.append(
                Change(f"interruption {dates_of(period.start, period.end)}", "", "ajoutée")
            )
            _, payload = write_interruption(dossier, period.start, period.end, period.reason)
            events.append((EventType.DOSSIER_INTERRUPTED, payload))
    return events
