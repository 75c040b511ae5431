"""A sealed version of a certificate: rendered, with its evidence page and ``preuve.json``,
sealed with the portal's certificate, stored as the next ``CertificateVersion``."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.conf import settings

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import VersionReason
from realisa.documents.data import read_image
from realisa.documents.evidence import append_pages, as_json, evidence_page
from realisa.documents.models import CertificateVersion, CertificationEvidence
from realisa.documents.sealing import Attachment, SealAppearance, SealResult, seal_pdf
from realisa.documents.sealing_keys import seal_keys
from realisa.documents.services import Rendered, about, render_next, store_version

if TYPE_CHECKING:  # the caller holds the certificate's row lock
    from realisa.accounts.models import User
    from realisa.certificates.models import Certificate


def sealed_version(
    certificate: Certificate,
    *,
    reason: VersionReason,
    actor: User | None,
    evidence: dict[str, Any],
    signer_name: str,
    seal_reason: str,
) -> CertificateVersion:
    """Render ``certificate`` as it stands, add ``evidence``, seal, store; the caller holds
    the certificate's row lock."""
    rendered = render_next(certificate)
    evidence = {**evidence, **_about(rendered)}
    organisation = certificate.dossier.organisation
    result = seal_pdf(
        append_pages(rendered.pdf, evidence_page(evidence)),
        appearance=SealAppearance.in_frame(
            signer_name, organisation, read_image(organisation.stamp), rendered.seal_box
        ),
        reason=seal_reason,
        organisation=organisation.name,
        attachments=[
            Attachment("preuve.json", as_json(evidence), "application/json", "Dossier de preuve")
        ],
    )
    version = store_version(certificate, rendered, result.pdf, reason=reason, actor=actor)
    CertificationEvidence.objects.create(
        certificate=certificate,
        version=version,
        reason=reason,
        data={**evidence, "sceau_resultat": result.evidence()},
        created_at=rendered.created_at,
    )
    _record(certificate, version, result, actor)
    return version


def _about(rendered: Rendered) -> dict[str, Any]:
    """The evidence's sections on the document itself and on the portal's seal."""
    keys = seal_keys()
    return {
        "document": {
            "reference": rendered.reference,
            "version": rendered.number,
            "sha256_certificat_avant_scellement": hashlib.sha256(rendered.pdf).hexdigest(),
        },
        "sceau": {
            "certificat_empreinte_sha256": keys.fingerprint,
            "certificat_sujet": keys.subject,
            "horodatage_demande": settings.SIGNING_TSA_URL or "non (PAdES B-B)",
        },
    }


def _record(
    certificate: Certificate, version: CertificateVersion, result: SealResult, actor: User | None
) -> None:
    record(
        EventType.PDF_SEALED,
        actor=actor,
        obj=certificate,
        payload={**about(version), "level": result.level, "fallback": result.fallback_reason},
    )
