"""The beneficiary's answer to a month certified online: « Valider les heures » or « Contester ».

Validating makes « la version définitive complète du certificat de réalisation »: the
certificate re-rendered with the certification's and the validation's evidence, sealed.
Contesting tells the organisation and the funder; the organisation then corrects the
hours (the month is open for entry again) and certifies again.

The answer does not block the month forever: an agent may validate in the beneficiary's
stead at any time, with a reason (``validate_for_beneficiary``), and past the deadline
the month is validated without an answer (``certificates.answer``). ``validation_kind``
says which, and the final version's evidence with it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates import lifecycle
from realisa.certificates.abilities import Party, abilities_of
from realisa.certificates.lifecycle import NOT_AWAITED, Event, NotNow
from realisa.certificates.models import BeneficiaryResponse, Certificate
from realisa.choices import BeneficiaryDecision, ValidationKind, VersionReason
from realisa.documents.evidence import connection, validation_section
from realisa.documents.models import CertificationEvidence
from realisa.documents.sealed import sealed_version
from realisa.lib.client_ip import client_ip
from realisa.lib.errors import Invalid, NotAllowed
from realisa.lib.french import of_month


class NotTheBeneficiary(NotAllowed):
    """Only the dossier's beneficiary validates or contests its hours."""


def _check(certificate: Certificate, actor: User, event: Event) -> None:
    """The beneficiary answers a month certified online, once (``abilities``)."""
    can = abilities_of(actor, certificate)
    if can.party != Party.BENEFICIARY:
        raise NotTheBeneficiary("Seul le bénéficiaire du dossier valide ou conteste ses heures.")
    lifecycle.check(certificate, event)  # answered already: its own words
    if not (can.validate_hours if event == Event.VALIDATED else can.contest_hours):
        raise NotNow(NOT_AWAITED)  # certified on paper


def _respond(
    certificate: Certificate,
    actor: User,
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
    certificate: Certificate, *, actor: User, request: HttpRequest | None
) -> Certificate:
    """« Valider les heures »: the month becomes validated; its final version is sealed."""
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        _check(locked, actor, Event.VALIDATED)
        response = _respond(locked, actor, BeneficiaryDecision.VALIDATED, "", request)
        lifecycle.apply(
            locked,
            Event.VALIDATED,
            actor=actor,
            request=request,
            changes={
                "validated_at": response.created_at,
                "validation_kind": ValidationKind.BENEFICIARY,
                "validated_by": actor,
            },
            payload={"response": response.pk},
        )
        final_version(locked, actor, request)
    return locked


class NotTheFunder(NotAllowed):
    """Only an agent of the funder validates in the beneficiary's stead."""


def validate_for_beneficiary(
    certificate: Certificate, *, actor: User, reason: str, request: HttpRequest | None
) -> Certificate:
    """An agent validates a month certified online that awaits the beneficiary, with a
    reason: the month becomes validated (« par le financeur ») and its final version sealed."""
    reason = reason.strip()
    if not reason:
        raise Invalid(errors={"reason": "Indiquez le motif de la validation."})
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        can = abilities_of(actor, locked)
        if can.party != Party.FUNDER:
            raise NotTheFunder("Seul le financeur valide les heures à la place du bénéficiaire.")
        lifecycle.check(locked, Event.VALIDATED_BY_AGENT)  # validated already: its own words
        if not can.validate_for_beneficiary:
            raise NotNow("Ce mois, certifié sur papier, n'attend pas de validation.")
        lifecycle.apply(
            locked,
            Event.VALIDATED_BY_AGENT,
            actor=actor,
            request=request,
            changes={
                "validated_at": timezone.now(),
                "validation_kind": ValidationKind.AGENT,
                "validated_by": actor,
                "validation_reason": reason,
            },
            payload={"reason": reason},
        )
        final_version(locked, actor, request)
    return locked


SEALED_AS = {
    ValidationKind.BENEFICIARY: "validées par le bénéficiaire",
    ValidationKind.NO_ANSWER: "validées sans réponse du bénéficiaire",
    ValidationKind.AGENT: "validées par le financeur",
}


def final_version(
    certificate: Certificate, actor: User | None, request: HttpRequest | None, **facts: Any
) -> None:
    """« La version définitive complète »: both evidences, sealed once more. The
    validation's says how the month was validated (``validation_kind``); ``facts`` add to it."""
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
    section = validation_section(certificate, actor, validated_at, request)
    evidence["validation"] = {**section, **facts}
    kind = ValidationKind(certificate.validation_kind or ValidationKind.BENEFICIARY)
    certifier = certificate.certified_by
    name = (certifier.get_full_name() or certifier.username) if certifier else "l'organisme"
    sealed_version(
        certificate,
        reason=VersionReason.VALIDATION,
        actor=actor,
        evidence=evidence,
        signer_name=name,
        seal_reason=f"Version définitive des heures {of_month(certificate.month)} "
        f"(dossier {certificate.dossier.number}), {SEALED_AS[kind]}",
    )


def contest_hours(
    certificate: Certificate, *, actor: User, comment: str, request: HttpRequest | None
) -> Certificate:
    """« Contester », with a comment: the organisation and the funder are told."""
    comment = comment.strip()
    if not comment:
        raise Invalid(errors={"comment": "Indiquez ce qui ne va pas dans ces heures."})
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        _check(locked, actor, Event.CONTESTED)
        response = _respond(locked, actor, BeneficiaryDecision.CONTESTED, comment, request)
        lifecycle.apply(
            locked,
            Event.CONTESTED,
            actor=actor,
            request=request,
            payload={"response": response.pk, "comment": comment},
        )
    return locked


def last_response(certificate: Certificate) -> BeneficiaryResponse | None:
    return certificate.beneficiary_responses.order_by("-created_at", "-pk").first()
