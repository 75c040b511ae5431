"""Reminders: each organisation with late months gets one digest, at most once every
``REMINDER_INTERVAL_DAYS``. The organisation's row is locked while deciding, so two runs
at once (a command and the beat task) never send the same digest twice."""

from __future__ import annotations

import enum
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.funder.late import LateMonth, late_by_organisation
from realisa.funder.models import Reminder
from realisa.organisations.models import Organisation


def digest_line(month: LateMonth) -> dict[str, Any]:
    """One late month as the reminder's event keeps it: no one's name, no link."""
    return {
        "dossier": month.dossier.number,
        "month": f"{month.period.month:%Y-%m}",
        "status": str(month.status.label),
        "days_open": month.days_open,
    }


def last_reminder(organisation: Organisation) -> Reminder | None:
    return Reminder.objects.filter(organisation=organisation).order_by("-sent_on", "-pk").first()


def next_reminder_on(last: Reminder | None) -> date | None:
    """The first day another digest may go, ``REMINDER_INTERVAL_DAYS`` after the last."""
    if last is None:
        return None
    return last.sent_on + timedelta(days=settings.REMINDER_INTERVAL_DAYS)


class Outcome(enum.Enum):
    SENT = "sent"  # the digest's e-mail is in the outbox
    TOO_SOON = "too soon"  # one went out less than the interval ago
    NO_ADDRESS = "no address"  # neither the organisation nor its users have an e-mail


def remind(
    organisation: Organisation,
    months: list[LateMonth],
    today: date,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Outcome:
    """Send the digest unless one went out less than the interval ago, or there is no one
    to send it to (then nothing is recorded, so the next try is not held back).
    ``actor``: the agent who pressed « Relancer » (None: the scheduled command)."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        since = today - timedelta(days=settings.REMINDER_INTERVAL_DAYS)
        if Reminder.objects.filter(organisation=organisation, sent_on__gt=since).exists():
            return Outcome.TOO_SOON
        if not organisation.addresses():
            return Outcome.NO_ADDRESS
        Reminder.objects.create(organisation=organisation, sent_on=today, month_count=len(months))
        lines = [digest_line(m) for m in months]
        record(
            EventType.ORGANISATION_REMINDED,  # its e-mail, the digest, follows
            actor=actor,
            obj=organisation,
            payload={"months": len(months), "lines": lines},
            request=request,
        )
    return Outcome.SENT


def send_reminders(today: date) -> dict[Outcome, list[Organisation]]:
    """E-mail every late organisation its digest; the organisations by outcome."""
    outcomes: dict[Outcome, list[Organisation]] = {outcome: [] for outcome in Outcome}
    for organisation, months in late_by_organisation(today).items():
        outcomes[remind(organisation, months, today)].append(organisation)
    return outcomes
