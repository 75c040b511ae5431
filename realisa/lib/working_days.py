"""French working days: Monday to Friday, the eleven national public holidays excluded
(Alsace-Moselle's two more, Good Friday and 26 December, are not counted as holidays).

The demo's planned calendars use them, and so does the deadline of the beneficiary's
answer (``certificates.answer``): EDOF validates a service after 5 working days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> set[date]:
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + timedelta(days=n) for n in (1, 39, 50)]
    return {date(year, m, d) for m, d in fixed} | set(movable)


def working_days(start: date, end: date) -> Iterator[date]:
    holidays: dict[int, set[date]] = {}
    day = start
    while day <= end:
        if day.year not in holidays:
            holidays[day.year] = public_holidays(day.year)
        if day.weekday() < 5 and day not in holidays[day.year]:
            yield day
        day += timedelta(days=1)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in public_holidays(day.year):
            remaining -= 1
    return day
