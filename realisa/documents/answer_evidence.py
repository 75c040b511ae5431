"""The beneficiary's own evidence: their « Valider les heures » or « Contester », sealed.

Made when the beneficiary downloads it, from what was recorded when they answered (the
``BeneficiaryResponse`` row and its event in the audit chain): their time, IP address and
browser, the month's hours and the version they answered, and nothing about the
organisation's users. Made on demand rather than when answering because a contest makes no
version and the response has no file of its own; the row and its chained event are the
proof, this PDF a sealed copy of them for the person they are about (a new seal each time,
the same content).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

from realisa.audit.models import AuditEvent
from realisa.documents.evidence import hours, moment
from realisa.documents.evidence_pages import EvidencePage, as_json, evidence_page
from realisa.documents.models import CertificateVersion
from realisa.documents.sealing import Attachment, seal_pdf

if TYPE_CHECKING:  # documents reads the rows it is given; it never loads them
    from realisa.certificates.models import BeneficiaryResponse

ANSWER_JSON = "preuve-reponse.json"


def answer_evidence(response: BeneficiaryResponse) -> dict[str, Any]:
    """The answer, the month it is about, and the audit event that recorded it."""
    certificate = response.certificate
    dossier = certificate.dossier
    answered, event = _answered_version(response), _answer_event(response)
    return {
        "reponse": {
            "decision": response.get_decision_display(),
            "le": moment(response.created_at),
            "commentaire": response.comment or None,
            "beneficiaire": dossier.beneficiary.formal_name,
            "adresse_ip": response.ip,
            "navigateur": response.user_agent,
        },
        "certificat": {
            "dossier": dossier.number,
            "mois": f"{certificate.month:%Y-%m}",
            "organisme": dossier.organisation.name,
            "heures": hours(answered or certificate),  # as answered: they may change since
            "version_reference": answered.reference if answered else None,
            "version_sha256": answered.sha256 if answered else None,
        },
        "journal": {
            "evenement": event.pk if event else None,
            "empreinte": event.hash if event else None,
        },
    }


def _answered_version(response: BeneficiaryResponse) -> CertificateVersion | None:
    """The version the beneficiary had before them when answering."""
    return (
        CertificateVersion.objects.filter(
            certificate=response.certificate, created_at__lte=response.created_at
        )
        .order_by("-number")
        .first()
    )


def _answer_event(response: BeneficiaryResponse) -> AuditEvent | None:
    """The audit chain's event that recorded the answer."""
    certificate = response.certificate
    return (
        AuditEvent.objects.filter(
            object_type=certificate._meta.label_lower,
            object_id=str(certificate.pk),
            payload__response=response.pk,
        )
        .order_by("id")
        .first()
    )


def answer_page() -> EvidencePage:
    return EvidencePage(
        "Preuve de votre réponse",
        f"Ce document reprend le fichier {ANSWER_JSON} qui lui est joint : votre réponse aux "
        "heures certifiées, telle que le portail l'a enregistrée, avec l'adresse IP et le "
        f"navigateur d'où vous l'avez donnée. Le sceau électronique du portail de "
        f"{settings.FUNDER_NAME} le couvre en entier ; le journal de preuve du portail garde "
        "l'événement dont l'empreinte figure ci-dessous.",
        "Document personnel : il contient votre adresse IP et votre navigateur.",
    )


def answer_pdf(response: BeneficiaryResponse) -> bytes:
    """The beneficiary's evidence of ``response``, sealed (no visible seal)."""
    data = answer_evidence(response)
    reference = data["certificat"]["version_reference"] or data["certificat"]["mois"]
    result = seal_pdf(
        evidence_page(data, answer_page()),
        appearance=None,
        reason=f"Preuve de la réponse du bénéficiaire ({reference})",
        organisation=settings.FUNDER_NAME,
        attachments=[Attachment(ANSWER_JSON, as_json(data), "application/json", "Votre réponse")],
    )
    return result.pdf
