"""Deleting the files whose retention deadline has passed (``lib.retention``), on the
funder's decision.

``expired_files`` lists them: the certificate versions' PDFs and the sealed versions' full
evidence 3 years after the end of the year of the dossier's last payment, the signed scans
and attendance sheets 6 years after, everything 10 years after for a dossier co-funded by
European funds. ``purge_files`` deletes each from the storage and leaves its tombstone
(``PurgedFile``: what it was, its SHA-256, when, on whose decision), with one « Pièces
purgées » event per dossier in the chain. The rows that named the files stay: a certificate
version is never deleted, and the journal still reads every event about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, QuerySet

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.documents.models import CertificateVersion, CertificationEvidence
from realisa.dossiers.models import Dossier
from realisa.funder.models import PurgedFile
from realisa.lib.retention import CERTIFICATE_YEARS, Kept, deadline_of, is_past


@dataclass(frozen=True)
class ExpiredFile:
    kind: str  # version, evidence, scan, sheet
    label: str  # what it is, in French
    name: str  # its name in the storage
    sha256: str
    dossier: str  # the dossier's number
    kept_until: date


def aged_dossiers(today: date, years: int = CERTIFICATE_YEARS) -> QuerySet[Dossier]:
    """The dossiers whose last payment is old enough for a deadline of ``years`` to have
    passed, with it as ``last_paid``."""
    return Dossier.objects.annotate(last_paid=Max("payments__paid_on")).filter(
        last_paid__lt=date(today.year - years, 1, 1)
    )


def expired_files(today: date) -> list[ExpiredFile]:
    """Every stored file past its deadline and not purged yet, dossier by dossier."""
    purged = PurgedFile.objects.names()
    found = []
    for dossier in aged_dossiers(today).order_by("number"):
        last_paid: date = dossier.last_paid  # type: ignore[attr-defined]
        for kind, file in _files_of(dossier):
            deadline = deadline_of(last_paid, kind, european=dossier.european_cofunding)
            if file.name not in purged and deadline and is_past(deadline, today):
                found.append(file.until(deadline))
    return found


@dataclass(frozen=True)
class _File:
    kind: str
    label: str
    name: str
    sha256: str
    dossier: str

    def until(self, deadline: date) -> ExpiredFile:
        return ExpiredFile(self.kind, self.label, self.name, self.sha256, self.dossier, deadline)


def _files_of(dossier: Dossier) -> Iterator[tuple[Kept, _File]]:
    number = dossier.number
    versions = CertificateVersion.objects.filter(certificate__dossier=dossier)
    for version in versions.select_related("certificate__dossier").order_by("pk"):
        label = f"version {version.number} ({version.reference}) du {version.certificate}"
        yield Kept.CERTIFICATE, _File("version", label, version.file.name, version.sha256, number)
    evidence = CertificationEvidence.objects.filter(certificate__dossier=dossier).exclude(file="")
    for proof in evidence.select_related("version").order_by("pk"):
        label = f"dossier de preuve de la version {proof.version.reference}"
        yield Kept.CERTIFICATE, _File("evidence", label, proof.file.name, proof.sha256, number)
    scans = Certificate.objects.filter(dossier=dossier).exclude(signed_scan="")
    for certificate in scans.select_related("dossier").order_by("pk"):
        label = f"certificat signé du {certificate}"
        scan = _File("scan", label, certificate.signed_scan.name, "", number)
        yield Kept.SUPPORTING, replace(scan, sha256=certificate.signed_scan_sha256)
    sheets = AttendanceSheet.objects.filter(certificate__dossier=dossier)
    for sheet in sheets.select_related("certificate__dossier").order_by("pk"):
        label = f"feuille d'émargement « {sheet.original_name} » du {sheet.certificate}"
        yield Kept.SUPPORTING, _File("sheet", label, sheet.file.name, sheet.sha256, number)


def purge_files(files: list[ExpiredFile], agent: User) -> int:
    """Delete ``files`` on ``agent``'s decision: each leaves its tombstone, each dossier
    one event. The rows are written first and the files deleted once they commit, so a
    failure never leaves a file gone without its tombstone."""
    by_dossier: dict[str, list[ExpiredFile]] = {}
    for file in files:
        by_dossier.setdefault(file.dossier, []).append(file)
    with transaction.atomic():
        for number, expired in by_dossier.items():
            _bury(number, expired, agent)
        transaction.on_commit(lambda: _delete([file.name for file in files]))
    return len(files)


def _bury(number: str, files: list[ExpiredFile], agent: User) -> None:
    PurgedFile.objects.bulk_create(
        PurgedFile(
            kind=file.kind,
            label=file.label[:400],
            name=file.name,
            sha256=file.sha256,
            dossier_number=number,
            kept_until=file.kept_until,
            decided_by=agent,
        )
        for file in files
    )
    payload = {
        "dossier": number,
        "purged": len(files),
        "kept_until": max(file.kept_until for file in files).isoformat(),
        "digests": [file.sha256 for file in files],
    }
    dossier = Dossier.objects.filter(number=number).first()
    record(EventType.FILES_PURGED, actor=agent, obj=dossier, payload=payload)


def _delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
