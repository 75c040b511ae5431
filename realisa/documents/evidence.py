"""The « dossier de preuve »: its sections, and the part of it every party may see.

The full evidence is a JSON-ready dict of sections (``certification``, ``validation``,
``document``, ``sceau``…). It holds what proves who did what from where (logins, e-mail,
IP addresses, browsers, the code's history): it is sealed as its own PDF, stored in
``CertificationEvidence.file``, and only the organisation and the funder may download it.
``shared_evidence`` keeps, section by section, only the keys named in ``SHARED``: what the
certificate every party receives prints on its last page and embeds as ``preuve.json``,
with the SHA-256 of the full evidence file. A key not named there stays in the full
evidence only, so that a new key is private until someone decides otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone

from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.choices import ValidationKind
from realisa.documents.models import CertificateVersion
from realisa.lib.client_ip import client_ip
from realisa.lib.french import de, of_month
from realisa.lib.hours import format_minutes
from realisa.lib.privacy import mask_email

if TYPE_CHECKING:  # documents reads the rows it is given; it never loads them
    from realisa.certificates.models import Certificate, OneTimeCode
    from realisa.organisations.models import Organisation

CERTIFIES_ENTRY_TEXT = "Je certifie la saisie des heures"
ACCEPTS_IP_TEXT = "J'accepte que mon adresse IP soit utilisée"
ONLINE_METHOD = "Certification 2 : 100 % dématérialisée, par code de vérification envoyé par e-mail"
NO_NAME = "(nom non renseigné)"
SEAL_KEYS = (
    "niveau",
    "date_signature",
    "certificat_empreinte_sha256",
    "certificat_sujet",
    "horodatage_autorite",
    "horodatage_date",
    "horodatage_sujet",
    "horodatage_absent_motif",
)
# What every party may read of each section; the rest is in the full evidence only.
SHARED: dict[str, tuple[str, ...]] = {
    "certification": (
        "methode",
        "dossier",
        "mois",
        "beneficiaire",
        "heures",
        "version_certifiee_reference",
        "version_certifiee_sha256",
        "texte_certifie",
        "case_certification",
        "case_adresse_ip",
        "saisie_le",
        "certificateur_nom",
        "certificateur_qualite",
        "organisme",
        "organisme_siret",
        "code_envoye_le",
        "code_envoye_a",
        "code_valable_jusqu_au",
        "code_verifie_le",
        "code_essais",
    ),
    "validation": (
        "mode",
        "decision",
        "beneficiaire",
        "valide_le",
        "heures",
        "reponse_attendue_avant_le",  # without an answer (``certificates.answer``)
        "relance_envoyee_le",
    ),
    "lot": ("certifie_en_lot", "reference", "manifeste_sha256", "texte_certifie"),
    "certification_scellee": ("reference", "sha256", *SEAL_KEYS),
    "document": ("reference", "version"),
    "sceau": ("certificat_empreinte_sha256", "certificat_sujet", "horodatage_demande"),
}
FULL_EVIDENCE_SECTION = "dossier_de_preuve_complet"


def certified_text(certificate: Certificate) -> str:
    """The exact sentence the certifier confirms with the code (shown, then kept)."""
    organisation = certificate.dossier.organisation
    return (
        f"Je certifie, pour {organisation.name}, les heures {of_month(certificate.month)} du "
        f"dossier {certificate.dossier.number} ({certificate.dossier.beneficiary.formal_name}) : "
        f"{format_minutes(certificate.centre_minutes)} de présence en centre, "
        f"{format_minutes(certificate.internship_minutes)} de présence en stage, "
        f"{format_minutes(certificate.absence_minutes)} d'absence."
    )


def batch_section(certificate: Certificate, batch: dict[str, str]) -> dict[str, Any]:
    """« Certifier en lot »: this month was certified with the batch's one code. The
    manifest lists every month of the batch by its version's SHA-256 only."""
    return {
        "certifie_en_lot": "oui : un seul code de vérification pour tous les mois du lot",
        "reference": batch["lot"],
        "manifeste_sha256": batch["manifeste_sha256"],
        "texte_certifie": certified_text(certificate),
    }


def moment(at: datetime | None) -> str | None:
    return timezone.localtime(at).isoformat(timespec="seconds") if at else None


def connection(request: HttpRequest | None) -> dict[str, Any]:
    return {
        "adresse_ip": client_ip(request),
        "navigateur": (request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
    }


def hours(certificate: Certificate | CertificateVersion) -> dict[str, Any]:
    """A month's hours (or those a version shows), in words and in minutes."""
    return {
        "presence_centre": format_minutes(certificate.centre_minutes),
        "presence_stage": format_minutes(certificate.internship_minutes),
        "absence": format_minutes(certificate.absence_minutes),
        "minutes_centre_stage_absence": [
            certificate.centre_minutes,
            certificate.internship_minutes,
            certificate.absence_minutes,
        ],
    }


def person_name(user: Any) -> str:
    """A person's name as the shared evidence prints it: never their login."""
    return str(user.get_full_name() or NO_NAME) if user is not None else NO_NAME


def capacity(user: Any, organisation: Organisation) -> str:
    """In what capacity ``user`` certifies for ``organisation`` (« Je soussigné(e) »)."""
    representative = organisation.legal_representative.strip()
    if representative and representative.casefold() == person_name(user).casefold():
        title = organisation.legal_representative_title or "représentant(e) légal(e)"
        return f"{title} {de(organisation.name)}"
    text = f"{user.get_role_display()}, habilité(e) à certifier pour {organisation.name}"
    if representative:
        text += f" par {representative}, représentant(e) légal(e)"
    return text


def certification_section(
    certificate: Certificate,
    code: OneTimeCode,
    certified: CertificateVersion,
    request: HttpRequest | None,
) -> dict[str, Any]:
    """What the certifier did, from the entry's ticks to the code typed back."""
    user = code.user
    dossier = certificate.dossier
    return {
        "methode": ONLINE_METHOD,
        "dossier": dossier.number,
        "mois": f"{certificate.month:%Y-%m}",
        "beneficiaire": dossier.beneficiary.formal_name,
        "heures": hours(certificate),
        "version_certifiee_reference": certified.reference,
        "version_certifiee_sha256": certified.sha256,
        "texte_certifie": certified_text(certificate),
        "case_certification": f"« {CERTIFIES_ENTRY_TEXT} » cochée : "
        + ("oui" if certificate.certifies_entry else "non"),
        "case_adresse_ip": f"« {ACCEPTS_IP_TEXT} » cochée : "
        + ("oui" if certificate.accepts_ip_use else "non"),
        "saisie_le": moment(certificate.entered_at),
        "certificateur_nom": person_name(user),
        "certificateur_qualite": capacity(user, dossier.organisation),
        "certificateur_identifiant": user.username,
        "certificateur_email": user.email,
        "organisme": dossier.organisation.name,
        "organisme_siret": dossier.organisation.siret,
        "code_envoye_le": moment(code.created_at),
        "code_envoye_a": mask_email(code.sent_to),
        "code_valable_jusqu_au": moment(code.expires_at),
        "code_verifie_le": moment(code.used_at),
        "code_essais": code.attempts + 1,
        **connection(request),
        # a batch's one code: its history is the batch's (« Certifier en lot »)
        "historique_code": code_history(code.batch or certificate),
    }


def code_history(subject: Any) -> list[dict[str, Any]]:
    """Every code asked for, sent, refused, mistyped, expired or accepted for the month (or
    the batch: ``subject``), as the audit chain recorded it: when, who (login), from where,
    with which browser."""
    events = AuditEvent.objects.filter(
        object_type=subject._meta.label_lower,
        object_id=str(subject.pk),
        action__startswith="online.code",
    ).order_by("id")
    labels = dict(EventType.choices)
    return [
        {
            "le": moment(event.created_at),
            "evenement": labels.get(event.action, event.action),
            "identifiant": event.actor_username,
            "adresse_ip": event.ip,
            "navigateur": event.user_agent,
        }
        for event in events
    ]


def validation_section(
    certificate: Certificate, user: Any, at: datetime, request: HttpRequest | None
) -> dict[str, Any]:
    """How the month came to be validated (``Certificate.validation_kind``): by the
    beneficiary, without their answer after the deadline, or by an agent with a reason."""
    kind = certificate.validation_kind or ValidationKind.BENEFICIARY
    section: dict[str, Any] = {
        "mode": ValidationKind(kind).label,
        "beneficiaire": certificate.dossier.beneficiary.formal_name,
        "valide_le": moment(at),
        "heures": hours(certificate),
    }
    if kind == ValidationKind.BENEFICIARY:
        section["decision"] = "« Valider les heures »"
        section["identifiant"] = getattr(user, "username", "")
        return {**section, **connection(request)}
    if kind == ValidationKind.NO_ANSWER:
        section["decision"] = "Heures validées « sans réponse du bénéficiaire » dans le délai"
        return section
    agent = certificate.validated_by or user
    section["decision"] = "Heures validées « par le financeur », à la place du bénéficiaire"
    section["agent_nom"] = person_name(agent)
    section["agent_identifiant"] = getattr(agent, "username", "")
    section["motif"] = certificate.validation_reason
    return {**section, **connection(request)}


def shared_evidence(full: dict[str, Any], full_file: dict[str, Any]) -> dict[str, Any]:
    """The part of ``full`` every party may see, with ``full_file`` (what identifies the
    full evidence's sealed PDF: its SHA-256) as its last section."""
    shared = {
        name: {key: section[key] for key in SHARED[name] if key in section}
        for name, section in full.items()
        if name in SHARED and isinstance(section, dict)
    }
    return {**shared, FULL_EVIDENCE_SECTION: full_file}
