"""Hours as people type them, and as the portal shows them.

Durations are whole minutes (int), never floats. Accepted: ``7``, ``7,5``, ``7.5``,
``7h``, ``7h30``, ``7 h 30``, ``7:30``. Shown one way everywhere: ``7 h 30``, ``7 h``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

DAY_MAX_MINUTES = 24 * 60
MONTH_MAX_MINUTES = 31 * DAY_MAX_MINUTES

_DECIMAL = re.compile(r"^(\d{1,4})(?:[.,](\d{1,2}))?$", re.ASCII)
_HOURS_MINUTES = re.compile(r"^(\d{1,4})\s*(?:h|:)\s*(\d{1,2})?$", re.IGNORECASE | re.ASCII)

FORMAT_HELP = "Saisissez une durée comme 7, 7,5, 7h30 ou 7:30."


def parse_hours(text: str, *, max_minutes: int = MONTH_MAX_MINUTES) -> int:
    """Minutes from a typed duration; a French ValidationError when it is not one."""
    value = " ".join(str(text).split())
    if value == "":
        return 0
    if value.startswith("-"):
        raise ValidationError("Une durée ne peut pas être négative.", code="negative")
    minutes = _decimal_minutes(value)
    if minutes is None:
        minutes = _hours_and_minutes(value)
    if minutes is None:
        raise ValidationError(f"« {value} » n'est pas une durée. {FORMAT_HELP}", code="invalid")
    if minutes > max_minutes:
        raise ValidationError(
            f"Une durée ne peut pas dépasser {format_minutes(max_minutes)}.", code="too_long"
        )
    return minutes


def _decimal_minutes(value: str) -> int | None:
    match = _DECIMAL.match(value)
    if not match:
        return None
    try:
        hours = Decimal(f"{match[1]}.{match[2] or 0}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    minutes = hours * 60
    if minutes != minutes.to_integral_value():
        raise ValidationError(
            f"« {value} » ne tombe pas sur une minute entière. {FORMAT_HELP}", code="precision"
        )
    return int(minutes)


def _hours_and_minutes(value: str) -> int | None:
    match = _HOURS_MINUTES.match(value)
    if not match:
        return None
    minutes = int(match[2] or 0)
    if minutes > 59:
        raise ValidationError(
            f"« {value} » : les minutes vont de 0 à 59. {FORMAT_HELP}", code="minutes"
        )
    return int(match[1]) * 60 + minutes


def format_minutes(minutes: int) -> str:
    """``450`` → ``7 h 30``; ``420`` → ``7 h``; ``0`` → ``0 h``; ``-90`` → ``-1 h 30``."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(int(minutes)), 60)
    return f"{sign}{hours} h {rest:02d}" if rest else f"{sign}{hours} h"


def format_difference(minutes: int) -> str:
    """A difference of hours, signed: ``90`` → ``+1 h 30``; ``-120`` → ``-2 h``; ``0`` → ``0 h``."""
    return f"+{format_minutes(minutes)}" if minutes > 0 else format_minutes(minutes)
