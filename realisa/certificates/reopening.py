"""The funder reopens a certified or validated month: it goes back to « Heures saisies ».

Only an agent, with a reason, and only while the month is neither transmitted nor covered
by a payment that is not an advance (paid hours are not reopened). The certification's
fields are cleared, so the organisation must certify again; what they were is kept in
the audit event, and every earlier PDF version stays in the history (versions are
immutable). A new version is generated so that the latest PDF no longer says certified.
The organisation is told, and the beneficiary too when they had validated the hours.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.audit.log import record
from realisa.certificates.models import Certificate
from realisa.certificates.months import PaidPeriod, is_locked
from realisa.certificates.plan import find_period
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.services import generate_version
from realisa.notifications import emails

REOPENABLE = frozenset({MonthStatus.CERTIFIED, MonthStatus.VALIDATED})


class ReopeningRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(certificate: Certificate) -> Certificate:
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("dossier__organisation", "dossier__beneficiary__user")
        .get(pk=certificate.pk)
    )


def check_reopenable(certificate: Certificate) -> None:
    """Raise ``ReopeningRefused`` with the French reason when the month cannot be reopened."""
    status = MonthStatus(certificate.status)
    if status == MonthStatus.TRANSMITTED:
        raise ReopeningRefused("Ce mois a déjà été transmis : il ne peut plus être rouvert.")
    if status not in REOPENABLE:
        raise ReopeningRefused(
            f"Seul un mois certifié ou validé peut être rouvert (statut : « {status.label} »)."
        )
    dossier = certificate.dossier
    period = find_period(dossier, certificate.month)
    payments = [
        PaidPeriod(p.period_start, p.period_end, p.is_advance) for p in dossier.payments.all()
    ]
    if period is not None and is_locked(period, payments):
        raise ReopeningRefused(
            "Ce mois ne peut pas être rouvert : des règlements ont été faits dans la période."
        )


def reopen(
    certificate: Certificate, *, actor: Any, reason: str, request: HttpRequest | None = None
) -> Certificate:
    """The transition certified|validated → entered, by the funder."""
    reason = reason.strip()
    if not reason:
        raise ReopeningRefused("Indiquez le motif de la réouverture.")
    with transaction.atomic():
        locked = _locked(certificate)
        check_reopenable(locked)
        previous = {
            "status": locked.status,
            "method": locked.certification_method,
            "certified_at": locked.certified_at.isoformat() if locked.certified_at else None,
            "certified_by": locked.certified_by_id,
            "validated_at": locked.validated_at.isoformat() if locked.validated_at else None,
        }
        was_validated = locked.status == MonthStatus.VALIDATED or locked.validated_at is not None
        locked.status = MonthStatus.ENTERED
        locked.certification_method = ""
        locked.certified_at = None
        locked.certified_by = None
        locked.certified_ip = None
        locked.validated_at = None
        locked.version += 1
        locked.save(
            update_fields=[
                "status",
                "certification_method",
                "certified_at",
                "certified_by",
                "certified_ip",
                "validated_at",
                "version",
            ]
        )
        record(
            "certificate.reopened",
            actor=actor,
            obj=locked,
            payload={"reason": reason, "previous": previous, "at": timezone.now().isoformat()},
            request=request,
        )
        generate_version(locked, reason=VersionReason.ENTRY, actor=actor)
        emails.certificate_reopened(locked, reason=reason, tell_beneficiary=was_validated)
    return locked
