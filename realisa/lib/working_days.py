"""French working days: Monday to Friday, public holidays excluded.

The public holidays come from the ``holidays`` library: the eleven national ones, and the
region's when ``PUBLIC_HOLIDAYS_REGION`` names one. Alsace-Moselle (« 57 » for Moselle,
« 6AE » for Alsace) adds Good Friday and 26 December; the demo's funder is in Metz. Planned
calendars (``dossiers.planning``) skip them, and so does the deadline of the beneficiary's
answer (``certificates.answer``): EDOF validates a service after 5 working days.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from holidays.countries.france import France

# The region codes the library knows for France, and their names (« Moselle » → « 57 »).
REGIONS: frozenset[str] = frozenset(France.subdivisions) | frozenset(France.subdivisions_aliases)


def region() -> str:
    """The portal's region for public holidays ("" for the national ones only)."""
    code = str(settings.PUBLIC_HOLIDAYS_REGION)
    if code and code not in REGIONS:
        raise ImproperlyConfigured(
            f"PUBLIC_HOLIDAYS_REGION « {code} » n'est pas une région connue des jours fériés "
            f"français (par exemple 57 pour la Moselle, 6AE pour l'Alsace)."
        )
    return code


@lru_cache(maxsize=128)
def public_holidays(year: int, region_code: str = "") -> frozenset[date]:
    """The public holidays of ``year`` in France, and in ``region_code`` when given."""
    # The library types its constructor loosely.
    calendar = France(subdiv=region_code or None, years=year)  # type: ignore[no-untyped-call]
    return frozenset(calendar)


def is_working_day(day: date, region_code: str | None = None) -> bool:
    """Monday to Friday and not a public holiday (of the portal's region by default)."""
    code = region() if region_code is None else region_code
    return day.weekday() < 5 and day not in public_holidays(day.year, code)


def working_days(start: date, end: date, region_code: str | None = None) -> Iterator[date]:
    """The working days from ``start`` to ``end``, both included."""
    day = start
    while day <= end:
        if is_working_day(day, region_code):
            yield day
        day += timedelta(days=1)


def add_working_days(start: date, count: int, region_code: str | None = None) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day, remaining = start, count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, region_code):
            remaining -= 1
    return day
