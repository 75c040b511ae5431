"""Are the stored files the ones that were stored? Each is read again through the storage
and its SHA-256 compared with the one recorded when it was stored; that one must also be
the SHA-256 the audit chain sealed in the event of its storing, when the event has it
(events before the files' SHA-256 were recorded do not), so that changing the database's
column along with the file does not hide a swap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.documents.models import CertificateVersion, CertificationEvidence
from realisa.funder.models import PurgedFile
from realisa.lib.digests import stored_sha256
from realisa.lib.french import de
from realisa.organisations.models import CertifierDocument


@dataclass(frozen=True)
class StoredFile:
    label: str  # what it is, in French
    name: str  # its name in the storage
    sha256: str  # recorded when it was stored
    sealed: str | None  # recorded in the chain's event, if it has one


@dataclass
class FilesCheck:
    count: int = 0  # files read
    purged: int = 0  # files deleted at their retention deadline, each with its tombstone
    faults: list[str] = field(default_factory=list)  # what is wrong, in French


def check_files() -> FilesCheck:
    """How many files were read, how many were purged, and what is wrong, in French.
    A purged file is not missing: its tombstone (``PurgedFile``) names it, and its
    SHA-256 must be the one recorded at its storing."""
    check = FilesCheck()
    tombstones = dict(PurgedFile.objects.values_list("name", "sha256"))
    for stored in _stored_files():
        if stored.name in tombstones:
            check.purged += 1
            fault = _purged_fault(stored, tombstones[stored.name])
        else:
            check.count += 1
            fault = _fault(stored)
        if fault:
            check.faults.append(fault)
    return check


def _purged_fault(stored: StoredFile, buried: str) -> str:
    if buried == stored.sha256:
        return ""
    return (
        f"Empreinte modifiée : {stored.label} ({stored.name}), purgé : la base dit "
        f"{stored.sha256}, la pièce purgée avait {buried}."
    )


def _fault(stored: StoredFile) -> str:
    where = f"{stored.label} ({stored.name})"
    actual = stored_sha256(stored.name)
    if actual is None:
        return f"Fichier manquant : {where}."
    if not stored.sha256:
        return f"Empreinte SHA-256 absente : {where} ; elle a été effacée, ou jamais relevée."
    if actual != stored.sha256:
        return (
            f"Fichier modifié : {where} : SHA-256 {actual} au lieu de {stored.sha256}, "
            "relevé à son dépôt."
        )
    if stored.sealed is not None and stored.sealed != stored.sha256:
        return (
            f"Empreinte modifiée : {where} : la base dit {stored.sha256}, le journal a scellé "
            f"{stored.sealed} à son dépôt."
        )
    return ""


def _stored_files() -> Iterator[StoredFile]:
    sealed = _sealed_digests()
    versions = CertificateVersion.objects.select_related("certificate__dossier")
    for version in versions.order_by("pk").iterator(chunk_size=500):
        label = f"version {version.number} ({version.reference}) de {version.certificate}"
        seal = sealed["version"].get(version.reference)
        yield StoredFile(label, version.file.name, version.sha256, seal)
    scans = Certificate.objects.exclude(signed_scan="").select_related("dossier")
    for certificate in scans.order_by("pk").iterator(chunk_size=500):
        seal = sealed["scan"].get(str(certificate.pk))
        label = f"certificat signé de {certificate}"
        yield StoredFile(label, certificate.signed_scan.name, certificate.signed_scan_sha256, seal)
    sheets = AttendanceSheet.objects.select_related("certificate__dossier")
    for sheet in sheets.order_by("pk").iterator(chunk_size=500):
        label = f"feuille d'émargement « {sheet.original_name} » de {sheet.certificate}"
        seal = sealed["sheet"].get(str(sheet.pk))
        yield StoredFile(label, sheet.file.name, sheet.sha256, seal)
    evidence = CertificationEvidence.objects.exclude(file="").select_related("version")
    for proof in evidence.order_by("pk").iterator(chunk_size=500):
        label = f"dossier de preuve complet de la version {proof.version.reference}"
        seal = sealed["evidence"].get(proof.version.reference)
        yield StoredFile(label, proof.file.name, proof.sha256, seal)
    documents = CertifierDocument.objects.select_related("organisation")
    for document in documents.order_by("pk").iterator(chunk_size=500):
        label = f"{document.get_kind_display()} {de(str(document.organisation))}"
        seal = sealed["document"].get(str(document.pk))
        yield StoredFile(label, document.file.name, document.sha256, seal)


# Which event seals which files' SHA-256: for each, the kind of file, the payload's key that
# names the file ("": the event's object) and the payload's key of its SHA-256. A sealed
# version's event also seals its full evidence, a PDF of its own.
SEALING_EVENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    EventType.PDF_GENERATED: (("version", "reference", "sha256"),),
    EventType.PDF_SEALED: (
        ("version", "reference", "sha256"),
        ("evidence", "reference", "evidence_sha256"),
    ),
    EventType.PDF_RETIMESTAMPED: (("version", "reference", "sha256"),),
    EventType.SIGNED_SCAN_UPLOADED: (("scan", "", "sha256"),),
    EventType.SHEET_ADDED: (("sheet", "sheet", "sha256"),),
    EventType.DOCUMENT_UPLOADED: (("document", "", "sha256"),),
}


def _sealed_digests() -> dict[str, dict[str, str]]:
    """For each kind of file, its id → the SHA-256 of the latest event that stored it."""
    found: dict[str, dict[str, str]] = {
        kind: {} for files in SEALING_EVENTS.values() for kind, _key, _digest in files
    }
    events = AuditEvent.objects.filter(action__in=list(SEALING_EVENTS)).order_by("id")
    rows = events.values_list("action", "object_id", "payload").iterator(chunk_size=2000)
    for action, object_id, payload in rows:
        values = _payload(payload)
        for kind, key, digest_key in SEALING_EVENTS[action]:
            digest = values.get(digest_key)
            if digest:
                found[kind][str(values.get(key)) if key else object_id] = digest
    return found


def _payload(payload: Any) -> dict[str, Any]:
    return payload if isinstance(payload, dict) else {}
