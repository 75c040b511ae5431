"""The funder's side of the demo: certified months, a transmission batch, one organisation late.

``seed_back_office(agent, dossiers, today=…)`` certifies on paper (certification 1) every
past month of ``dossiers`` still awaiting entry, at the hours of the planned calendar,
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
from django.db.models import Sum
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates.models import Certificate
from realisa.certificates.queries import month_rows
from realisa.choices import CertificationMethod, MonthStatus, Role, VersionReason
from realisa.demo.files import one_page_pdf
from realisa.documents.services import generate_version
from realisa.dossiers.models import Dossier
from realisa.funder.models import Transmission
from realisa.funder.transmission import create_transmission


def _certify(dossier: Dossier, month: date, certifier: User | None) -> Certificate:
    hours = dossier.planned_days.filter(date__year=month.year, date__month=month.month).aggregate(
        centre=Sum("centre_minutes"), internship=Sum("internship_minutes")
    )
    now = timezone.now()
    certificate = Certificate(
        dossier=dossier,
        month=month,
        centre_minutes=hours["centre"] or 0,
        internship_minutes=hours["internship"] or 0,
        status=MonthStatus.CERTIFIED,
        entered_at=now,
        entered_by=certifier,
        certifies_entry=True,
        certification_method=CertificationMethod.PAPER,
        certified_at=now,
        certified_by=certifier,
        signed_scan_uploaded_at=now,
    )
    scan = one_page_pdf(f"Certificat signé {dossier.number} {month:%m/%Y}")
    certificate.signed_scan.save("certificat-signe.pdf", ContentFile(scan), save=False)
    certificate.save()
    generate_version(certificate, reason=VersionReason.CERTIFICATION, actor=certifier)
    return certificate


def seed_back_office(
    agent: User, dossiers: Sequence[Dossier], *, today: date | None = None
) -> Transmission | None:
    """Certify the past months of ``dossiers`` and transmit the older ones in one batch."""
    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    with transaction.atomic():
        for dossier in dossiers:
            certifier = dossier.organisation.members.filter(role=Role.OF_USER).first()
            for row in month_rows(dossier, today):
                if row.certificate is None and row.status == MonthStatus.AWAITING_ENTRY:
                    _certify(dossier, row.period.month, certifier)
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
