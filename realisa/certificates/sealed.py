"""A sealed version of a certificate: rendered, with its evidence page and ``preuve.json``,
sealed with the portal's certificate, stored as the next ``CertificateVersion``."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from realisa.audit.log import record
from realisa.certificates.evidence import append_pages, as_json, evidence_page
from realisa.certificates.models import Certificate, CertificationEvidence
from realisa.choices import VersionReason
from realisa.documents.data import certificate_data, read_image
from realisa.documents.models import CertificateVersion
from realisa.documents.render import render_certificate
from realisa.documents.sealing import Attachment, SealAppearance, seal_pdf
from realisa.documents.sealing_keys import seal_keys
from realisa.documents.services import new_reference, stamp_allowed

# In the certificate's « Cachet et signature » frame, left of the printed stamp (A4, pt).
SEAL_BOX = (45, 172, 265, 236)


def sealed_version(
    certificate: Certificate,
    *,
    reason: VersionReason,
    actor: Any,
    evidence: dict[str, Any],
    signer_name: str,
    seal_reason: str,
) -> CertificateVersion:
    """Render ``certificate`` as it stands, add ``evidence``, seal, store; the caller holds
    the certificate's row lock."""
    latest = certificate.versions.aggregate(Max("number"))["number__max"]
    number = (latest or 0) + 1
    now = timezone.now()
    reference = new_reference()
    data = certificate_data(
        certificate,
        reference=reference,
        version=number,
        issued_on=timezone.localdate(now),
        show_stamp=stamp_allowed(certificate),
    )
    page = render_certificate(data, created_at=now)
    keys = seal_keys()
    evidence = {
        **evidence,
        "document": {
            "reference": reference,
            "version": number,
            "sha256_certificat_avant_scellement": hashlib.sha256(page).hexdigest(),
        },
        "sceau": {
            "certificat_empreinte_sha256": keys.fingerprint,
            "certificat_sujet": keys.subject,
            "horodatage_demande": settings.SIGNING_TSA_URL or "non (PAdES B-B)",
        },
    }
    organisation = certificate.dossier.organisation
    result = seal_pdf(
        append_pages(page, evidence_page(evidence)),
        appearance=SealAppearance(
            signer_name, organisation.name, read_image(organisation.stamp), box=SEAL_BOX
        ),
        reason=seal_reason,
        organisation=organisation.name,
        attachments=[
            Attachment("preuve.json", as_json(evidence), "application/json", "Dossier de preuve")
        ],
    )
    version = _store(certificate, number, reference, reason, result.pdf, actor, now)
    CertificationEvidence.objects.create(
        certificate=certificate,
        version=version,
        reason=reason,
        data={**evidence, "sceau_resultat": result.evidence()},
        created_at=now,
    )
    record(
        "certificate.pdf_sealed",
        actor=actor,
        obj=certificate,
        payload={
            "version": number,
            "reference": reference,
            "reason": reason,
            "sha256": version.sha256,
            "level": result.level,
            "fallback": result.fallback_reason,
        },
    )
    return version


def _store(
    certificate: Certificate,
    number: int,
    reference: str,
    reason: VersionReason,
    pdf: bytes,
    actor: Any,
    now: Any,
) -> CertificateVersion:
    version = CertificateVersion(
        certificate=certificate,
        number=number,
        reference=reference,
        sha256=hashlib.sha256(pdf).hexdigest(),
        reason=reason,
        status=certificate.status,
        centre_minutes=certificate.centre_minutes,
        internship_minutes=certificate.internship_minutes,
        absence_minutes=certificate.absence_minutes,
        created_at=now,
        created_by=actor if actor is not None and actor.pk else None,
    )
    version.file.save("certificat.pdf", ContentFile(pdf), save=False)
    version.save()
    return version
