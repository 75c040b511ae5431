"""Reminders: each organisation with late months gets one digest, at most once every
``REMINDER_INTERVAL_DAYS``. The organisation's row is locked while deciding, so two runs
at once (a command and the beat task) never send the same digest twice."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format

from realisa.audit.log import record
from realisa.funder.late import LateMonth, late_by_organisation
from realisa.funder.models import Reminder
from realisa.notifications import emails
from realisa.organisations.models import Organisation


def digest_line(month: LateMonth) -> dict[str, Any]:
    dossier, period = month.dossier, month.period
    path = reverse(
        "certificates:month", args=[dossier.number, period.month.year, period.month.month]
    )
    return {
        "dossier": dossier.number,
        "beneficiary": dossier.beneficiary.full_name,
        "month_name": date_format(period.month, "F Y"),
        "status": str(month.status.label),
        "days_open": month.days_open,
        "link": settings.SITE_URL + path,
    }


def remind(organisation: Organisation, months: list[LateMonth], today: date) -> bool:
    """Send the digest unless one went out less than the interval ago; True when sent."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        since = today - timedelta(days=settings.REMINDER_INTERVAL_DAYS)
        if Reminder.objects.filter(organisation=organisation, sent_on__gt=since).exists():
            return False
        Reminder.objects.create(organisation=organisation, sent_on=today, month_count=len(months))
        emails.reminder_digest(organisation, [digest_line(m) for m in months])
        record("organisation.reminded", obj=organisation, payload={"months": len(months)})
    return True


def send_reminders(today: date) -> int:
    """E-mail every late organisation its digest; the number of digests sent."""
    return sum(
        remind(organisation, months, today)
        for organisation, months in late_by_organisation(today).items()
    )
