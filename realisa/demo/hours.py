"""Demo months: hours entered, and some certified on paper, through the portal's own
transitions, so that PDFs, audit events and e-mails are the real ones."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from realisa.accounts.models import User
from realisa.certificates.certification import (
    add_attendance_sheet,
    certify_paper,
    replace_signed_scan,
)
from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.plan import find_period, month_plan
from realisa.certificates.rules import DayHours, Hours
from realisa.demo.files import one_page_pdf
from realisa.dossiers.models import Dossier

HOUR = 60


def _entry(dossier: Dossier, month: date) -> HoursEntry:
    """The planned hours, less a 3-hour absence on the month's first day."""
    period = find_period(dossier, month)
    if period is None:
        raise ValueError(f"{month:%m/%Y} is not a month of {dossier}")
    plan = month_plan(dossier, period)
    days = [
        DayHours(day, Hours(hours.centre, hours.internship))
        for day, hours in sorted(plan.planned.items())
    ]
    if days:
        first = days[0].hours
        absence = min(3 * HOUR, first.centre or first.internship)
        days[0] = DayHours(
            days[0].day,
            Hours(
                max(first.centre - absence, 0) if first.centre else 0,
                max(first.internship - absence, 0) if not first.centre else first.internship,
                absence,
            ),
        )
    totals = sum((day.hours for day in days), Hours())
    return HoursEntry(
        hours=totals,
        days=days if plan.uses_day_grid else None,
        certifies_entry=True,
        accepts_ip_use=True,
    )


def enter_month(dossier: Dossier, month: date, actor: User, today: date) -> Certificate:
    """Enter the month's hours once; a month that already has hours is left as it is."""
    existing = Certificate.objects.filter(dossier=dossier, month=month).first()
    if existing is not None:
        return existing
    result = enter_hours(
        dossier,
        month,
        actor=actor,
        entry=_entry(dossier, month),
        expected_version=0,
        today=today,
    )
    return result.certificate


def _pdf(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, one_page_pdf(title), "application/pdf")


def certify_month_on_paper(dossier: Dossier, month: date, actor: User, today: date) -> Certificate:
    """Enter the month's hours, upload a signed scan and certify them (certification 1)."""
    certificate = enter_month(dossier, month, actor, today)
    if certificate.certified_at is not None:
        return certificate
    scan = _pdf("certificat-signe.pdf", f"Certificat signe - {dossier.number} - {month:%m/%Y}")
    replace_signed_scan(certificate, scan, actor=actor, request=None)
    return certify_paper(certificate, actor=actor, request=None)


def ready_for_paper_certification(
    dossier: Dossier, month: date, actor: User, today: date
) -> Certificate:
    """Enter the month's hours, upload a signed scan and an attendance sheet: certification
    1's steps are done, « Certifier » is left to the person trying the demo. Once."""
    certificate = enter_month(dossier, month, actor, today)
    if certificate.signed_scan or certificate.certified_at is not None:
        return certificate
    label = f"{dossier.number} - {month:%m/%Y}"
    scan = _pdf("certificat-signe.pdf", f"Certificat signe - {label}")
    replace_signed_scan(certificate, scan, actor=actor, request=None)
    sheet = _pdf("feuille-emargement.pdf", f"Feuille d'emargement - {label}")
    add_attendance_sheet(certificate, sheet, actor=actor, request=None)
    return Certificate.objects.get(pk=certificate.pk)
