"""Certification 1 (paper, the default): the signed scan, the attendance sheets, « Certifier ».

Each function is one transition or one change of the month's documents: it locks the
month's row, checks the guard (raising a ``CertificationError`` with a French message),
changes what it must, records an audit event, and leaves e-mails in the outbox of the
same transaction. A file replaced or removed is deleted from the storage only once the
change has committed, so a failure never loses the previous one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.api import webhooks
from realisa.audit.log import client_ip, record
from realisa.certificates.entry import check_member
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.certificates.plan import find_period, status_of
from realisa.choices import CertificationMethod, MonthStatus, VersionReason
from realisa.documents.services import generate_version
from realisa.notifications import emails
from realisa.organisations.models import Organisation


class CertificationError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CertificationRefused(CertificationError):
    """The month cannot be certified, or its documents changed, in its current state."""


class AlreadyCertified(CertificationError):
    """Someone certified the month a moment ago: nothing to do, nothing went wrong."""


def _locked(certificate: Certificate) -> Certificate:
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("dossier__organisation", "dossier__beneficiary", "dossier__employer")
        .get(pk=certificate.pk)
    )


def _check_open(certificate: Certificate, today: date | None = None) -> None:
    """The month's documents and certification change only while its hours are entered."""
    period = find_period(certificate.dossier, certificate.month)
    if period is None:  # the training's dates changed under the month
        raise CertificationRefused("Ce mois ne fait plus partie de la formation.")
    status = status_of(certificate.dossier, period, certificate, today or timezone.localdate())
    if status in (MonthStatus.CERTIFIED, MonthStatus.VALIDATED, MonthStatus.TRANSMITTED):
        raise AlreadyCertified("Ce certificat de réalisation est déjà certifié.")
    if status != MonthStatus.ENTERED:
        raise CertificationRefused(
            f"Ce certificat ne peut pas être modifié ni certifié (statut : « {status.label} »)."
        )


def _delete_after_commit(name: str) -> None:
    if name:
        storage_name = name
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: default_storage.delete(storage_name))


def replace_signed_scan(
    certificate: Certificate, upload: UploadedFile, *, actor: Any, request: HttpRequest | None
) -> Certificate:
    """Step 2: « déposer le certificat signé » — a new scan replaces the previous one."""
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _locked(certificate)
        _check_open(locked)
        previous = locked.signed_scan.name
        locked.signed_scan.save(upload.name or "certificat-signe", upload, save=False)
        locked.signed_scan_uploaded_at = timezone.now()
        locked.save(update_fields=["signed_scan", "signed_scan_uploaded_at"])
        record(
            "certificate.signed_scan_uploaded",
            actor=actor,
            obj=locked,
            payload={"replaced": bool(previous), "size": upload.size},
            request=request,
        )
        _delete_after_commit(previous)
    return locked


def remove_signed_scan(
    certificate: Certificate, *, actor: Any, request: HttpRequest | None
) -> Certificate:
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _locked(certificate)
        _check_open(locked)
        previous = locked.signed_scan.name
        locked.signed_scan = ""
        locked.signed_scan_uploaded_at = None
        locked.save(update_fields=["signed_scan", "signed_scan_uploaded_at"])
        record("certificate.signed_scan_removed", actor=actor, obj=locked, request=request)
        _delete_after_commit(previous)
    return locked


def add_attendance_sheet(
    certificate: Certificate, upload: UploadedFile, *, actor: Any, request: HttpRequest | None
) -> AttendanceSheet:
    """Step 3 (optional): attendance sheets, as many as needed."""
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _locked(certificate)
        _check_open(locked)
        sheet = AttendanceSheet(
            certificate=locked, original_name=(upload.name or "")[:200], uploaded_by=actor
        )
        sheet.file.save(upload.name or "feuille", upload, save=False)
        sheet.save()
        record(
            "certificate.attendance_sheet_added",
            actor=actor,
            obj=locked,
            payload={"sheet": sheet.pk, "name": sheet.original_name},
            request=request,
        )
    return sheet


def remove_attendance_sheet(
    sheet: AttendanceSheet, *, actor: Any, request: HttpRequest | None
) -> None:
    check_member(actor, sheet.certificate.dossier)
    with transaction.atomic():
        locked = _locked(sheet.certificate)
        _check_open(locked)
        name = sheet.file.name
        record(
            "certificate.attendance_sheet_removed",
            actor=actor,
            obj=locked,
            payload={"sheet": sheet.pk, "name": sheet.original_name},
            request=request,
        )
        AttendanceSheet.objects.filter(pk=sheet.pk).delete()
        _delete_after_commit(name)


def certify_paper(
    certificate: Certificate, *, actor: Any, request: HttpRequest | None
) -> Certificate:
    """« Certifier » (certification 1): the hours become certified and can no longer change.

    Safe under concurrency: the row lock makes every other simultaneous « Certifier »
    find the month certified and raise ``AlreadyCertified``, which views show as a notice.
    """
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _locked(certificate)
        _check_open(locked)
        if not locked.signed_scan:
            raise CertificationRefused(
                "Déposez d'abord le certificat de réalisation imprimé et signé (étape 2) "
                "avant de certifier."
            )
        mark_certified(
            locked,
            method=CertificationMethod.PAPER,
            at=timezone.now(),
            actor=actor,
            request=request,
            details={"attendance_sheets": locked.attendance_sheets.count()},
        )
        generate_version(locked, reason=VersionReason.CERTIFICATION, actor=actor)
        emails.certificate_available(locked)
        webhooks.emit("certificate.certified", locked)
    return locked


def mark_certified(
    certificate: Certificate,
    *,
    method: CertificationMethod,
    at: datetime,
    actor: Any,
    request: HttpRequest | None,
    details: dict[str, Any],
) -> None:
    """What both certifications change on the (locked) month, and the event they leave:
    certified, by whom, when, from which IP, how; the hours can no longer change."""
    certificate.status = MonthStatus.CERTIFIED
    certificate.certification_method = method
    certificate.certified_at = at
    certificate.certified_by = actor
    certificate.certified_ip = client_ip(request)
    certificate.version += 1
    certificate.save(
        update_fields=[
            "status",
            "certification_method",
            "certified_at",
            "certified_by",
            "certified_ip",
            "version",
        ]
    )
    record(
        "certificate.certified",
        actor=actor,
        obj=certificate,
        payload={
            "method": method,
            "dossier": certificate.dossier.number,
            "month": f"{certificate.month:%Y-%m}",
            "centre_minutes": certificate.centre_minutes,
            "internship_minutes": certificate.internship_minutes,
            "absence_minutes": certificate.absence_minutes,
            **details,
        },
        request=request,
    )


def completeness_reminders(organisation: Organisation) -> list[str]:
    """The seed's « Rappel de complétude »: what « Votre identité » still lacks."""
    if not organisation.legal_representative or not organisation.logo:
        return [
            "Le nom du représentant légal et le logo de votre organisme ne sont pas renseignés "
            "dans « Votre identité ». La certification étant valide, le process suit son cours."
        ]
    if not organisation.stamp:
        return [
            "Le cachet de votre organisme n'est pas renseigné : complétez « Votre identité » "
            "pour l'ajouter."
        ]
    return []
