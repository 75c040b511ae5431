"""A planned calendar read from the iCalendar (.ics) export of a planning tool.

Each timed event within the training counts on its day, in Paris time, for its duration;
repeated events (RRULE, EXDATE, RDATE) are expanded by ``recurring_ical_events``. An event
whose summary or categories name « stage » or « entreprise » counts in the company, any
other in the centre. All-day events say no hours and are left out, and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

# Neither ships its types (icalendar's stubs are a separate package); both are read as Any.
import icalendar  # type: ignore[import-untyped]
import recurring_ical_events  # type: ignore[import-untyped]
from django.utils import timezone

from realisa.dossiers.planning import DayPlan
from realisa.lib.hours import DAY_MAX_MINUTES

IN_COMPANY = re.compile(r"\b(stage|entreprise)\b", re.IGNORECASE)
MAGIC = b"BEGIN:VCALENDAR"


class UnreadableCalendar(ValueError):
    """The file cannot be read as a planned calendar; the message says why, in French."""


@dataclass
class IcsReading:
    """The days read, and how many events were left out (all-day, or outside the training)."""

    days: dict[date, DayPlan] = field(default_factory=dict)
    skipped: int = 0


def read_ics(content: bytes, start: date, end: date) -> IcsReading:
    """The planned days from ``start`` to ``end`` that ``content`` describes."""
    if not content.lstrip(b"\xef\xbb\xbf \r\n").startswith(MAGIC):
        raise UnreadableCalendar("Ce fichier n'est pas un calendrier iCalendar (.ics).")
    try:
        calendar = icalendar.Calendar.from_ical(content)
        events = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    except (ValueError, KeyError, TypeError) as error:
        raise UnreadableCalendar(
            "Ce calendrier iCalendar (.ics) est illisible : exportez-le de nouveau."
        ) from error
    reading = IcsReading()
    for event in events:
        _count(event, start, end, reading)
    if not reading.days:
        raise UnreadableCalendar(
            f"Aucune séance avec des horaires entre le {start:%d/%m/%Y} et le {end:%d/%m/%Y}."
        )
    return reading


def _count(event: Any, start: date, end: date, reading: IcsReading) -> None:
    began, ended = event.get("DTSTART").dt, event.get("DTEND")
    if not isinstance(began, datetime):  # an all-day event: no hours
        reading.skipped += 1
        return
    local = _paris(began)
    finish = _paris(ended.dt) if ended is not None else local + event.get("DURATION").dt
    day = local.date()
    if not start <= day <= end:
        reading.skipped += 1
        return
    midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    minutes = int((min(finish, midnight) - local).total_seconds() // 60)
    words = f"{event.get('SUMMARY', '')} {_categories(event)}"
    plan = reading.days.get(day, DayPlan())
    if IN_COMPANY.search(words):
        plan = DayPlan(plan.centre_minutes, plan.internship_minutes + minutes)
    else:
        plan = DayPlan(plan.centre_minutes + minutes, plan.internship_minutes)
    if plan.presence > DAY_MAX_MINUTES:
        raise UnreadableCalendar(f"Le {day:%d/%m/%Y} compte plus de 24 h de séances.")
    reading.days[day] = plan


def _paris(moment: datetime) -> datetime:
    """A floating time is the portal's (Paris) time; any other is converted to it."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)


def _categories(event: Any) -> str:
    found = event.get("CATEGORIES")
    if found is None:
        return ""
    groups = found if isinstance(found, list) else [found]
    return " ".join(str(category) for group in groups for category in group.cats)
