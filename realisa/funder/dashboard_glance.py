"""The dashboard at a glance: the last months' progress, and how long each organisation
takes to certify.

- ``progress``: per month, the certificates expected (the months whose entry has opened,
  but not those interrupted, or locked by a payment before any entry) and how many reached
  each step: hours entered, certified on paper or online, validated by the beneficiary,
  contested, transmitted. One query over the months' counts (``MonthCount``, kept by
  ``certificates.month_summary``), added up by month by the database.
- ``delays``: for one month, per organisation, the median number of days from the month's
  opening (its last day within the training) to its certification, and the months still
  waiting with the longest wait so far: who is late, and how late.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from realisa.certificates.models import MonthCount, MonthSummary
from realisa.choices import CertificationMethod, MonthStatus
from realisa.dossiers.periods import shift_month
from realisa.organisations.models import Organisation

S = MonthStatus
CERTIFIED = [S.CERTIFIED, S.VALIDATED, S.CONTESTED, S.TRANSMITTED]
PAPER, ONLINE = CertificationMethod.PAPER, CertificationMethod.ONLINE
# Each step, over the months' counts (``status``: the month's status once open;
# ``entered``, ``method`` and ``validated``: its certificate's).
STEPS = {
    "entered": Q(entered=True),
    "paper": Q(status__in=CERTIFIED, method=PAPER),
    "online": Q(status__in=CERTIFIED, method=ONLINE),
    "validated": Q(validated=True, status__in=[S.VALIDATED, S.TRANSMITTED]),
    "contested": Q(status=S.CONTESTED),
    "transmitted": Q(status=S.TRANSMITTED),
}


def opened(today: date) -> Q:
    """The months whose certificate is expected on ``today``: opened, and neither
    interrupted nor locked by a payment before any entry."""
    not_open = Q(status=S.AWAITING_ENTRY, opens_on__gt=today)
    return ~Q(status__in=[S.INTERRUPTED, S.LOCKED]) & ~not_open


MONTHS_SHOWN = 6
DELAYS_SHOWN = 15


@dataclass(frozen=True)
class MonthProgress:
    month: date
    expected: int
    entered: int
    paper: int
    online: int
    validated: int
    contested: int
    transmitted: int


def progress(month: date, today: date, count: int = MONTHS_SHOWN) -> list[MonthProgress]:
    """``month`` and the months before it, each with its count at every step: one query on
    the months' counts, added up by month."""
    months = [shift_month(month, -back) for back in range(count)]
    steps = {"expected": opened(today), **STEPS}
    grouped = (
        MonthCount.objects.filter(month__in=months)
        .order_by()
        .values("month")
        .annotate(**{name: Coalesce(Sum("count", filter=q), 0) for name, q in steps.items()})
    )
    found = {row.pop("month"): row for row in grouped}
    empty = dict.fromkeys(steps, 0)
    return [MonthProgress(shown, **found.get(shown, empty)) for shown in months]


@dataclass(frozen=True)
class Delay:
    organisation: str
    certified: int
    median_days: float | None  # from opening to certification; None when none certified
    waiting: int  # opened months not certified yet
    longest_wait: int | None  # days since the oldest of them opened

    @property
    def median_text(self) -> str:
        """« 3 jours », « 2,5 jours », « 1 jour »; « — » when none was certified."""
        if self.median_days is None:
            return "—"
        number = f"{self.median_days:g}".replace(".", ",")
        return f"{number} {'jour' if self.median_days < 2 else 'jours'}"


def _days(rows: Any, today: date) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Per organisation: the days each certified month took, and each waiting month's wait."""
    took: dict[int, list[int]] = defaultdict(list)
    waits: dict[int, list[int]] = defaultdict(list)
    for organisation, opening, status, certified_on in rows:
        if status in CERTIFIED and certified_on is not None:
            took[organisation].append(max(0, (certified_on - opening).days))
        else:
            waits[organisation].append((today - opening).days)
    return took, waits


def delays(month: date, today: date, shown: int = DELAYS_SHOWN) -> list[Delay]:
    """The organisations of ``month``, the slowest first (by median, then by wait)."""
    rows = (
        MonthSummary.objects.filter(opened(today), month=month)
        .order_by()
        .values_list("organisation", "opens_on", "status", "certified_on")
    )
    took, waits = _days(rows, today)
    ids = set(took) | set(waits)
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    found = [
        Delay(
            names[pk],
            len(took[pk]),
            median(took[pk]) if took[pk] else None,
            len(waits[pk]),
            max(waits[pk]) if waits[pk] else None,
        )
        for pk in ids
    ]
    found.sort(key=lambda d: (-(d.median_days or 0), -(d.longest_wait or 0), d.organisation))
    return found[:shown]
