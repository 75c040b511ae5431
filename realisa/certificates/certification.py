"""Certification 1 (paper, the default): the signed scan, the attendance sheets, « Certifier ».

Each function is one transition or one change of the month's documents: it locks the
month's row, checks the guard (raising a ``Refused`` with a French message),
changes what it must, records an audit event, and leaves e-mails in the outbox of the
same transaction. A file replaced or removed is deleted from the storage only once the
change has committed, so a failure never loses the previous one.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates import lifecycle
from realisa.certificates.entry import check_member
from realisa.certificates.lifecycle import Event
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.certificates.plan import plan_snapshot
from realisa.choices import CertificationMethod
from realisa.documents.signed import signed_version
from realisa.lib.client_ip import client_ip
from realisa.lib.digests import upload_sha256
from realisa.lib.errors import Conflict
from realisa.organisations.models import Organisation

SCAN_FIELDS = ("signed_scan", "signed_scan_uploaded_at", "signed_scan_sha256")


class CertificationRefused(Conflict):
    """The month's documents are not ready for this (no signed scan yet)."""


def _open_for_documents(certificate: Certificate) -> Certificate:
    """The month's documents change only while it could be certified: lock and check."""
    locked = lifecycle.locked(certificate)
    lifecycle.check(locked, Event.CERTIFIED_PAPER)
    return locked


def _delete_after_commit(name: str) -> None:
    """Remove a replaced file once the change has committed, never before."""
    if name:
        transaction.on_commit(partial(default_storage.delete, name))


def replace_signed_scan(
    certificate: Certificate, upload: UploadedFile, *, actor: User, request: HttpRequest | None
) -> Certificate:
    """Step 2: « déposer le certificat signé » — a new scan replaces the previous one."""
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _open_for_documents(certificate)
        previous = locked.signed_scan.name
        locked.signed_scan_sha256 = upload_sha256(upload)
        locked.signed_scan.save(upload.name or "certificat-signe", upload, save=False)
        locked.signed_scan_uploaded_at = timezone.now()
        locked.save(update_fields=[*SCAN_FIELDS])
        record(
            EventType.SIGNED_SCAN_UPLOADED,
            actor=actor,
            obj=locked,
            payload={
                "replaced": bool(previous),
                "size": upload.size,
                "sha256": locked.signed_scan_sha256,
            },
            request=request,
        )
        _delete_after_commit(previous)
    return locked


def remove_signed_scan(
    certificate: Certificate, *, actor: User, request: HttpRequest | None
) -> Certificate:
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _open_for_documents(certificate)
        previous = locked.signed_scan.name
        locked.signed_scan = ""
        locked.signed_scan_uploaded_at = None
        locked.signed_scan_sha256 = ""
        locked.save(update_fields=[*SCAN_FIELDS])
        record(EventType.SIGNED_SCAN_REMOVED, actor=actor, obj=locked, request=request)
        _delete_after_commit(previous)
    return locked


def add_attendance_sheet(
    certificate: Certificate, upload: UploadedFile, *, actor: User, request: HttpRequest | None
) -> AttendanceSheet:
    """Step 3 (optional): attendance sheets, as many as needed."""
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _open_for_documents(certificate)
        sheet = AttendanceSheet(
            certificate=locked,
            original_name=(upload.name or "")[:200],
            uploaded_by=actor,
            sha256=upload_sha256(upload),
        )
        sheet.file.save(upload.name or "feuille", upload, save=False)
        sheet.save()
        record(
            EventType.SHEET_ADDED,
            actor=actor,
            obj=locked,
            payload={"sheet": sheet.pk, "name": sheet.original_name, "sha256": sheet.sha256},
            request=request,
        )
    return sheet


def remove_attendance_sheet(
    sheet: AttendanceSheet, *, actor: User, request: HttpRequest | None
) -> None:
    check_member(actor, sheet.certificate.dossier)
    with transaction.atomic():
        locked = _open_for_documents(sheet.certificate)
        name = sheet.file.name
        record(
            EventType.SHEET_REMOVED,
            actor=actor,
            obj=locked,
            payload={"sheet": sheet.pk, "name": sheet.original_name},
            request=request,
        )
        AttendanceSheet.objects.filter(pk=sheet.pk).delete()
        _delete_after_commit(name)


def certify_paper(
    certificate: Certificate, *, actor: User, request: HttpRequest | None
) -> Certificate:
    """« Certifier » (certification 1): the hours become certified and can no longer change;
    the certificate every party downloads becomes the signed scan behind the portal's
    cover, sealed (``documents.signed``).

    Safe under concurrency: the row lock makes every other simultaneous « Certifier »
    find the month certified and raise ``AlreadyDone``, which views show as a notice.
    """
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = _open_for_documents(certificate)
        if not locked.signed_scan:
            raise CertificationRefused(
                "Déposez d'abord le certificat de réalisation imprimé et signé (étape 2) "
                "avant de certifier."
            )
        certify(
            locked,
            Event.CERTIFIED_PAPER,
            actor=actor,
            request=request,
            details={"attendance_sheets": locked.attendance_sheets.count()},
        )
        signed_version(locked, actor=actor)
    return locked


def certify(
    certificate: Certificate,
    event: Event,
    *,
    actor: User,
    request: HttpRequest | None,
    details: dict[str, Any],
    at: datetime | None = None,
) -> None:
    """What both certifications write on the (locked) month, and the event they leave:
    certified, by whom, when, from which IP, how; the hours can no longer change."""
    method = CertificationMethod.PAPER
    if event == Event.CERTIFIED_ONLINE:
        method = CertificationMethod.ONLINE
    lifecycle.apply(
        certificate,
        event,
        actor=actor,
        request=request,
        changes={
            "certification_method": method,
            "certified_at": at or timezone.now(),
            "certified_by": actor,
            "certified_ip": client_ip(request),
            "planned_snapshot": plan_snapshot(certificate),
        },
        payload={
            "method": method,
            "dossier": certificate.dossier.number,
            "month": f"{certificate.month:%Y-%m}",
            "centre_minutes": certificate.centre_minutes,
            "internship_minutes": certificate.internship_minutes,
            "absence_minutes": certificate.absence_minutes,
            **details,
        },
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
