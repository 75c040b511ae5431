"""The months of a training: one period per calendar month it touches, clipped to it.

A training is certified month by month, one certificate per calendar month; these pure
functions say which months, and which of their days, a training covers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MonthPeriod:
    """The days of one calendar month that lie within a training."""

    month: date  # the first day of the calendar month: the certificate's key
    first_day: date
    last_day: date

    @property
    def opens_on(self) -> date:
        return self.last_day

    def overlaps(self, start: date, end: date) -> bool:
        return start <= self.last_day and end >= self.first_day

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def shift_month(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s (before it when negative)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def training_months(start: date, end: date) -> list[MonthPeriod]:
    """Every calendar month from ``start`` to ``end`` (inclusive), clipped to the training."""
    if end < start:
        raise ValueError("the training ends before it starts")
    months = []
    cursor = start.replace(day=1)
    while cursor <= end:
        months.append(
            MonthPeriod(
                month=cursor, first_day=max(start, cursor), last_day=min(end, month_end(cursor))
            )
        )
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return months
