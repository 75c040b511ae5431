"""The funder's side of the demo: certified months, a transmission batch, one organisation late.

``seed_back_office(agent, dossiers, today=…)`` certifies on paper (certification 1), through
the organisation's own steps, every past month of ``dossiers`` still awaiting entry, at the
hours of the planned calendar,
then transmits those that closed before last month in one batch. Last month's stay
certified, ready for the agent to transmit. Dossiers not passed in (Centre Horizon's)
are left alone: their months stay awaiting entry, so that organisation shows as late.
Idempotent: a month that has a certificate is never touched again, and the batch is
made once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates.certification import certify_paper, replace_signed_scan
from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.plan import month_plan
from realisa.certificates.queries import month_rows
from realisa.certificates.rules import DayHours, sum_hours
from realisa.choices import MonthStatus, Role
from realisa.demo.files import one_page_pdf
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod
from realisa.funder.models import Transmission
from realisa.funder.transmission import create_transmission


def _certify(dossier: Dossier, period: MonthPeriod, certifier: User) -> Certificate:
    """Enter the planned hours, upload a signed scan and certify, as an organisation would."""
    plan = month_plan(dossier, period)
    days = [DayHours(day, hours) for day, hours in sorted(plan.planned.items())]
    total = sum_hours(days)
    entry = HoursEntry(
        hours=total,
        days=days if plan.uses_day_grid else None,
        certifies_entry=True,
        accepts_ip_use=True,
    )
    entered = enter_hours(dossier, period.month, actor=certifier, entry=entry, expected_version=0)
    scan = one_page_pdf(f"Certificat signé {dossier.number} {period.month:%m/%Y}")
    upload = ContentFile(scan, name="certificat-signe.pdf")
    replace_signed_scan(entered.certificate, upload, actor=certifier, request=None)  # type: ignore[arg-type]
    return certify_paper(entered.certificate, actor=certifier, request=None)


def seed_back_office(
    agent: User, dossiers: Sequence[Dossier], *, today: date | None = None
) -> Transmission | None:
    """Certify the past months of ``dossiers`` and transmit the older ones in one batch."""
    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    with transaction.atomic():
        for dossier in dossiers:
            certifier = dossier.organisation.members.filter(role=Role.OF_USER).get()
            for row in month_rows(dossier, certifier, today):
                if row.certificate is None and row.status == MonthStatus.AWAITING_ENTRY:
                    _certify(dossier, row.period, certifier)
        if Transmission.objects.exists():
            return Transmission.objects.order_by("created_at").first()
        older = list(
            Certificate.objects.filter(
                dossier__in=dossiers, status=MonthStatus.CERTIFIED, month__lt=last_month
            ).values_list("pk", flat=True)
        )
        if not older:
            return None
        transmission, _ = create_transmission(older, actor=agent)
        return transmission
