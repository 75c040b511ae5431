"""The beneficiary's answer to a month certified online: « Valider les heures » or « Contester ».

Validating makes « la version définitive complète du certificat de réalisation »: the
certificate re-rendered with the certification's and the validation's evidence, sealed.
Contesting tells the organisation and the funder; the organisation then corrects the
hours (the month is open for entry again) and certifies again.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.api import webhooks
from realisa.audit.log import client_ip, record
from realisa.certificates.certification import AlreadyCertified, CertificationRefused, _locked
from realisa.certificates.evidence import connection, validation_section
from realisa.certificates.models import BeneficiaryResponse, Certificate, CertificationEvidence
from realisa.certificates.plan import of_month
from realisa.certificates.sealed import sealed_version
from realisa.choices import BeneficiaryDecision, CertificationMethod, MonthStatus, VersionReason
from realisa.notifications import emails

ANSWERED = {
    MonthStatus.VALIDATED: "Vous avez déjà validé les heures de ce mois.",
    MonthStatus.CONTESTED: "Vous avez déjà contesté les heures de ce mois.",
}


class NotTheBeneficiary(Exception):
    """Only the dossier's beneficiary validates or contests its hours."""


def is_beneficiary(user: Any, certificate: Certificate) -> bool:
    beneficiary = certificate.dossier.beneficiary
    return bool(user.is_authenticated and beneficiary.user_id == user.pk)


def awaits_validation(certificate: Certificate) -> bool:
    return (
        certificate.status == MonthStatus.CERTIFIED
        and certificate.certification_method == CertificationMethod.ONLINE
    )


def _check(certificate: Certificate, actor: Any) -> None:
    if not is_beneficiary(actor, certificate):
        raise NotTheBeneficiary
    if certificate.status in ANSWERED:
        raise AlreadyCertified(ANSWERED[MonthStatus(certificate.status)])
    if not awaits_validation(certificate):
        raise CertificationRefused("Ce certificat n'attend pas votre validation.")


def _respond(
    certificate: Certificate,
    actor: Any,
    decision: BeneficiaryDecision,
    comment: str,
    request: HttpRequest | None,
) -> BeneficiaryResponse:
    seen = connection(request)
    return BeneficiaryResponse.objects.create(
        certificate=certificate,
        user=actor,
        decision=decision,
        comment=comment,
        ip=client_ip(request),
        user_agent=seen["navigateur"],
    )


def validate_hours(
    certificate: Certificate, *, actor: Any, request: HttpRequest | None
) -> Certificate:
    """« Valider les heures »: the month becomes validated; its final version is sealed."""
    with transaction.atomic():
        locked = _locked(certificate)
        _check(locked, actor)
        response = _respond(locked, actor, BeneficiaryDecision.VALIDATED, "", request)
        locked.status = MonthStatus.VALIDATED
        locked.validated_at = response.created_at
        locked.version += 1
        locked.save(update_fields=["status", "validated_at", "version"])
        record(
            "certificate.validated",
            actor=actor,
            obj=locked,
            payload={"response": response.pk},
            request=request,
        )
        _final_version(locked, actor, request)
        emails.hours_validated(locked)
        webhooks.emit("certificate.validated", locked)
    return locked


def _final_version(certificate: Certificate, actor: Any, request: HttpRequest | None) -> None:
    """« La version définitive complète »: both evidences, sealed once more."""
    certification = (
        CertificationEvidence.objects.filter(
            certificate=certificate, reason=VersionReason.CERTIFICATION
        )
        .select_related("version")
        .order_by("-created_at", "-pk")
        .first()
    )
    evidence: dict[str, Any] = {}
    if certification is not None:
        evidence["certification"] = certification.data.get("certification", {})
        evidence["certification_scellee"] = {
            "reference": certification.version.reference,
            "sha256": certification.version.sha256,
            **(certification.data.get("sceau_resultat") or {}),
        }
    validated_at = certificate.validated_at or timezone.now()
    evidence["validation"] = validation_section(certificate, actor, validated_at, request)
    certifier = certificate.certified_by
    name = (certifier.get_full_name() or certifier.username) if certifier else "l'organisme"
    sealed_version(
        certificate,
        reason=VersionReason.VALIDATION,
        actor=actor,
        evidence=evidence,
        signer_name=name,
        seal_reason=f"Version définitive des heures {of_month(certificate.month)} "
        f"(dossier {certificate.dossier.number}), validées par le bénéficiaire",
    )


def contest_hours(
    certificate: Certificate, *, actor: Any, comment: str, request: HttpRequest | None
) -> Certificate:
    """« Contester », with a comment: the organisation and the funder are told."""
    comment = comment.strip()
    if not comment:
        raise CertificationRefused("Indiquez ce qui ne va pas dans ces heures.")
    with transaction.atomic():
        locked = _locked(certificate)
        _check(locked, actor)
        response = _respond(locked, actor, BeneficiaryDecision.CONTESTED, comment, request)
        locked.status = MonthStatus.CONTESTED
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        record(
            "certificate.contested",
            actor=actor,
            obj=locked,
            payload={"response": response.pk, "comment": comment},
            request=request,
        )
        emails.hours_contested(locked, response)
        webhooks.emit("certificate.contested", locked)
    return locked


def last_response(certificate: Certificate) -> BeneficiaryResponse | None:
    return certificate.beneficiary_responses.order_by("-created_at", "-pk").first()
