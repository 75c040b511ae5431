"""The months of a dossier and their status: pure functions, no database.

A training is certified month by month: one certificate per calendar month that the
training touches, covering the month's days within the training. A month's status:

1. a stored status (entered, certified, validated, contested, transmitted) wins: what was
   entered or certified is never hidden;
2. otherwise a payment that is not an advance and whose period overlaps the month's days
   locks the month: « La saisie n'est plus disponible car des règlements ont été faits
   dans la période » (an advance never locks);
3. otherwise a month whose days all lie in an interruption of the training (sick leave…)
   is « Formation interrompue », and opens no entry;
4. otherwise the month is open on its last day within the training (for the last month,
   the training's end date): before, « La saisie n'est pas disponible »; from then on,
   « En attente de la saisie de l'organisme ».

A payment locks the entry, not the certification: hours entered before it stay
« Heures saisies » and may still be certified, but no longer changed (``lifecycle.TABLE``:
entry is refused while a payment covers the month, and so is a contested month's
correction). The funder is warned before recording such a payment (``funder.payments``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from realisa.choices import MonthStatus
from realisa.dossiers.periods import MonthPeriod


@dataclass(frozen=True)
class PaidPeriod:
    start: date
    end: date
    is_advance: bool


@dataclass(frozen=True)
class Break:
    """An interruption of the training, from ``start`` to ``end`` included."""

    start: date
    end: date


def is_locked(period: MonthPeriod, payments: Iterable[PaidPeriod]) -> bool:
    return any(not p.is_advance and period.overlaps(p.start, p.end) for p in payments)


def is_interrupted(period: MonthPeriod, breaks: Iterable[Break]) -> bool:
    """Every day of the month's period lies in one interruption."""
    return any(b.start <= period.first_day and b.end >= period.last_day for b in breaks)


def month_status(
    period: MonthPeriod,
    *,
    today: date,
    payments: Iterable[PaidPeriod] = (),
    stored: str | None = None,
    breaks: Iterable[Break] = (),
) -> MonthStatus:
    """The status of one month, as the module's docstring orders the rules."""
    if stored:
        return MonthStatus(stored)
    if is_locked(period, payments):
        return MonthStatus.LOCKED
    if is_interrupted(period, breaks):
        return MonthStatus.INTERRUPTED
    if today < period.opens_on:
        return MonthStatus.NOT_OPEN
    return MonthStatus.AWAITING_ENTRY
