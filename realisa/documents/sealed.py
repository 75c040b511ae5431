"""A sealed version of a certificate and its full « dossier de preuve », both sealed.

The full evidence (logins, e-mail, IP addresses, browsers, the code's history) is sealed
first as its own PDF, ``preuve-complete.json`` embedded, and stored in
``CertificationEvidence.file``. The certificate every party receives is then rendered with
a last page and a ``preuve.json`` of the shared part only (``evidence.shared_evidence``),
which names the full evidence by its SHA-256, sealed and stored as the next
``CertificateVersion``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import VersionReason
from realisa.documents.data import read_image
from realisa.documents.evidence import shared_evidence
from realisa.documents.evidence_pages import EvidencePage, as_json, evidence_page, page_data
from realisa.documents.models import CertificateVersion, CertificationEvidence
from realisa.documents.sealing import Attachment, SealAppearance, SealResult, seal_pdf
from realisa.documents.sealing_keys import seal_keys
from realisa.documents.services import Rendered, Slot, about, next_slot, render_next, store_version

if TYPE_CHECKING:  # the caller holds the certificate's row lock
    from realisa.accounts.models import User
    from realisa.certificates.models import Certificate

SHARED_JSON = "preuve.json"
FULL_JSON = "preuve-complete.json"
CONFIDENTIAL = (
    "Document confidentiel, réservé à l'organisme de formation et au financeur : il contient "
    "des données personnelles (identifiants, adresses e-mail et IP, navigateurs)."
)


def shared_page() -> EvidencePage:
    return EvidencePage(
        "Dossier de preuve",
        f"Cette page reprend le fichier {SHARED_JSON} joint à ce PDF. Le sceau électronique du "
        f"portail de {settings.FUNDER_NAME} couvre l'ensemble du document, cette page et ce "
        "fichier compris : toute modification le rend invalide. Les identifiants, adresses IP "
        "et navigateurs sont dans le dossier de preuve complet, scellé à part et réservé à "
        "l'organisme et au financeur, que son empreinte SHA-256 ci-dessous désigne.",
    )


def full_page() -> EvidencePage:
    return EvidencePage(
        "Dossier de preuve complet",
        f"Ce document reprend le fichier {FULL_JSON} qui lui est joint. Le sceau électronique "
        f"du portail de {settings.FUNDER_NAME} le couvre en entier : toute modification le "
        "rend invalide. Le certificat de réalisation remis à chacun en reprend la partie "
        "partagée et désigne ce document par son empreinte SHA-256.",
        CONFIDENTIAL,
    )


@dataclass(frozen=True)
class SealedEvidence:
    """The full evidence, sealed: its PDF, that PDF's SHA-256 and its seal's result."""

    pdf: bytes
    sha256: str
    result: SealResult


def seal_full_evidence(
    full: dict[str, Any], *, reference: str, organisation: str
) -> SealedEvidence:
    """The full evidence of version ``reference`` as its own sealed PDF (no visible seal)."""
    result = seal_pdf(
        evidence_page(full, full_page()),
        appearance=None,
        reason=f"Dossier de preuve complet du certificat {reference}",
        organisation=organisation,
        attachments=[
            Attachment(FULL_JSON, as_json(full), "application/json", "Dossier de preuve complet")
        ],
    )
    return SealedEvidence(result.pdf, hashlib.sha256(result.pdf).hexdigest(), result)


MANIFEST_JSON = "manifeste.json"


def manifest_page() -> EvidencePage:
    return EvidencePage(
        "Manifeste d'une certification en lot",
        f"Ce document reprend le fichier {MANIFEST_JSON} qui lui est joint : les versions des "
        "certificats de réalisation certifiées avec un seul code de vérification, chacune par "
        f"sa référence et son empreinte SHA-256. Le sceau électronique du portail de "
        f"{settings.FUNDER_NAME} le couvre en entier. Chaque certificat du lot désigne ce "
        "manifeste par l'empreinte SHA-256 du fichier joint ; il ne nomme personne et ne "
        "donne aucune heure.",
    )


def seal_manifest(manifest: bytes, *, reference: str, organisation: str) -> SealedEvidence:
    """A batch's manifest (its JSON bytes, embedded as they are) as its own sealed PDF."""
    result = seal_pdf(
        evidence_page(json.loads(manifest), manifest_page()),
        appearance=None,
        reason=f"Manifeste de la certification en lot {reference}",
        organisation=organisation,
        attachments=[Attachment(MANIFEST_JSON, manifest, "application/json", "Manifeste du lot")],
    )
    return SealedEvidence(result.pdf, hashlib.sha256(result.pdf).hexdigest(), result)


def sealed_version(
    certificate: Certificate,
    *,
    reason: VersionReason,
    actor: User | None,
    evidence: dict[str, Any],
    signer_name: str,
    seal_reason: str,
) -> CertificateVersion:
    """Seal ``evidence`` in full apart, then render ``certificate`` as it stands with its
    shared part as the last page, and seal it; store both. The caller holds the row lock."""
    slot = next_slot(certificate)
    full = {**evidence, **_about(slot)}
    organisation = certificate.dossier.organisation
    sealed = seal_full_evidence(full, reference=slot.reference, organisation=organisation.name)
    shared = shared_evidence(full, {"sha256": sealed.sha256, "fichier": FULL_JSON})
    rendered = render_next(certificate, slot=slot, evidence=page_data(shared, shared_page()))
    result = seal_pdf(
        rendered.pdf,
        appearance=SealAppearance.in_frame(
            signer_name, organisation, read_image(organisation.stamp), rendered.seal_box
        ),
        reason=seal_reason,
        organisation=organisation.name,
        attachments=[
            Attachment(SHARED_JSON, as_json(shared), "application/json", "Dossier de preuve")
        ],
    )
    version = store_version(certificate, rendered, result.pdf, reason=reason, actor=actor)
    _store_evidence(version, rendered, full, result, sealed)
    _record(certificate, version, result, actor, evidence_sha256=sealed.sha256)
    return version


def _store_evidence(
    version: CertificateVersion,
    rendered: Rendered,
    full: dict[str, Any],
    result: SealResult,
    sealed: SealedEvidence,
) -> None:
    """The full evidence's row, with both seals' own evidence, and its sealed PDF."""
    stored = CertificationEvidence(
        certificate=version.certificate,
        version=version,
        reason=version.reason,
        data={
            **full,
            "sceau_resultat": result.evidence(),
            "sceau_dossier": sealed.result.evidence(),
        },
        sha256=sealed.sha256,
        created_at=rendered.created_at,
    )
    stored.file.save("preuve.pdf", ContentFile(sealed.pdf), save=False)
    stored.save()


def _about(slot: Slot) -> dict[str, Any]:
    """The evidence's sections on the document itself and on the portal's seal. The
    document is named by its reference and version: its SHA-256, once sealed, is in the
    audit chain (``pdf.sealed``) and on its version."""
    keys = seal_keys()
    return {
        "document": {"reference": slot.reference, "version": slot.number},
        "sceau": {
            "certificat_empreinte_sha256": keys.fingerprint,
            "certificat_sujet": keys.subject,
            "horodatage_demande": settings.SIGNING_TSA_URL or "non (PAdES B-B)",
        },
    }


def _record(
    certificate: Certificate,
    version: CertificateVersion,
    result: SealResult,
    actor: User | None,
    *,
    evidence_sha256: str,
) -> None:
    """The chain seals both files' SHA-256 (``funder.stored_files`` checks them)."""
    record(
        EventType.PDF_SEALED,
        actor=actor,
        obj=certificate,
        payload={
            **about(version),
            "evidence_sha256": evidence_sha256,
            "level": result.level,
            "fallback": result.fallback_reason,
        },
    )
