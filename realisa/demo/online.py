"""Demo months certified online (certification 2), sealed with the demo's local certificate:
one validated by the beneficiary, one awaiting the beneficiary's validation, and one the
beneficiary contested."""

from __future__ import annotations

from datetime import date

from realisa.accounts.models import User
from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.online import certify_online, request_code
from realisa.certificates.plan import find_period, month_plan
from realisa.certificates.rules import DayHours, Hours
from realisa.certificates.validation import contest_hours, validate_hours
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier

CONTEST = (
    "J'étais absente le premier lundi du mois (rendez-vous médical) : ces heures ne sont pas "
    "à compter comme présence."
)


def seed_online_certifications(
    dossier: Dossier,
    *,
    certifier: User,
    beneficiary: User,
    validated_month: date,
    awaiting_month: date,
    contested_month: date | None = None,
) -> None:
    """Leave ``validated_month`` certified online and validated, ``awaiting_month``
    certified online and awaiting validation, and ``contested_month`` (if any) certified
    online and contested. Idempotent: a month already past entry is left as it is.
    ``certifier`` must be allowed to certify online (``abilities.may_certify_online``);
    the months must be open for entry."""
    for month in (validated_month, awaiting_month, contested_month):
        if month is not None:
            _certify(dossier, month, certifier)
    certificate = Certificate.objects.get(dossier=dossier, month=validated_month.replace(day=1))
    if certificate.status == MonthStatus.CERTIFIED:
        validate_hours(certificate, actor=beneficiary, request=None)
    if contested_month is not None:
        contested = Certificate.objects.get(dossier=dossier, month=contested_month.replace(day=1))
        if contested.status == MonthStatus.CERTIFIED:
            contest_hours(contested, actor=beneficiary, comment=CONTEST, request=None)


def _certify(dossier: Dossier, month: date, certifier: User) -> None:
    key = month.replace(day=1)
    certificate = Certificate.objects.filter(dossier=dossier, month=key).first()
    if certificate is not None and certificate.status != MonthStatus.ENTERED:
        return
    if certificate is None or not certificate.accepts_ip_use:
        certificate = _enter_as_planned(dossier, key, certifier, certificate)
    code = request_code(certificate, actor=certifier, request=None).code
    certify_online(certificate, code, actor=certifier, request=None)


def _enter_as_planned(
    dossier: Dossier, month: date, certifier: User, certificate: Certificate | None
) -> Certificate:
    period = find_period(dossier, month)
    if period is None:
        raise ValueError(f"{month} is not a month of dossier {dossier.number}")
    plan = month_plan(dossier, period)
    days = [DayHours(day, hours) for day, hours in sorted(plan.planned.items())]
    entry = HoursEntry(
        hours=Hours(sum(d.hours.centre for d in days), sum(d.hours.internship for d in days), 0),
        days=days if plan.uses_day_grid else None,
        certifies_entry=True,
        accepts_ip_use=True,
    )
    return enter_hours(
        dossier,
        month,
        actor=certifier,
        entry=entry,
        expected_version=certificate.version if certificate else 0,
    ).certificate
