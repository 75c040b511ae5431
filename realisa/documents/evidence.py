"""The « dossier de preuve » of certification 2: its data, and its human-readable page.

The data is a JSON-ready dict of sections (``certification``, ``validation``, ``document``,
``sceau``). It is embedded in the sealed PDF as ``preuve.json``, printed as the PDF's last
page (``evidence_page``) and stored (``CertificationEvidence``).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdf
import typst
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from realisa.documents.models import CertificateVersion
from realisa.lib.client_ip import client_ip
from realisa.lib.french import of_month
from realisa.lib.hours import format_minutes
from realisa.lib.privacy import mask_email

if TYPE_CHECKING:  # documents reads the rows it is given; it never loads them
    from realisa.certificates.models import Certificate, OneTimeCode

TEMPLATE = Path(__file__).parent / "templates_typst" / "evidence.typ"
CERTIFIES_ENTRY_TEXT = "Je certifie la saisie des heures"
ACCEPTS_IP_TEXT = "J'accepte que mon adresse IP soit utilisée"
TITLES = {
    "certification": "Certification par l'organisme (code de vérification)",
    "validation": "Validation par le bénéficiaire",
    "certification_scellee": "Version certifiée et scellée",
    "document": "Ce document",
    "sceau": "Sceau électronique",
}


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


def _moment(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def connection(request: HttpRequest | None) -> dict[str, Any]:
    return {
        "adresse_ip": client_ip(request),
        "navigateur": (request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
    }


def hours(certificate: Certificate) -> dict[str, Any]:
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
        "saisie_le": _moment(certificate.entered_at),
        "certificateur_nom": user.get_full_name() or user.username,
        "certificateur_identifiant": user.username,
        "certificateur_email": user.email,
        "organisme": dossier.organisation.name,
        "organisme_siret": dossier.organisation.siret,
        "code_envoye_le": _moment(code.created_at),
        "code_envoye_a": mask_email(code.sent_to),
        "code_valable_jusqu_au": _moment(code.expires_at),
        "code_verifie_le": _moment(code.used_at),
        "code_essais": code.attempts + 1,
        **connection(request),
    }


def validation_section(
    certificate: Certificate, user: Any, at: datetime, request: HttpRequest | None
) -> dict[str, Any]:
    return {
        "decision": "« Valider les heures »",
        "beneficiaire": certificate.dossier.beneficiary.formal_name,
        "identifiant": user.username,
        "valide_le": _moment(at),
        "heures": hours(certificate),
        **connection(request),
    }


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return " ; ".join(f"{key} : {_value(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value)
    return str(value)


def page_data(data: dict[str, Any]) -> dict[str, Any]:
    """The evidence as the Typst page reads it: sections of (label, value) rows."""
    sections = [
        {
            "title": TITLES.get(name, name),
            "rows": [[key.replace("_", " "), _value(value)] for key, value in section.items()],
        }
        for name, section in data.items()
        if isinstance(section, dict)
    ]
    return {
        "title": "Dossier de preuve",
        "intro": (
            "Cette page reprend le fichier preuve.json joint à ce PDF. Le sceau électronique "
            f"du portail de {settings.FUNDER_NAME} couvre l'ensemble du document, cette page "
            "et ce fichier compris : toute modification le rend invalide."
        ),
        "sections": sections,
    }


def evidence_page(data: dict[str, Any]) -> bytes:
    pdf = typst.compile(
        input=TEMPLATE.read_bytes(),
        format="pdf",
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(page_data(data), ensure_ascii=False)},
    )
    if not isinstance(pdf, bytes):
        raise TypeError("Typst returned pages instead of one PDF")
    return pdf


def append_pages(first: bytes, then: bytes) -> bytes:
    """One PDF: the pages of ``first`` followed by those of ``then``."""
    writer = pypdf.PdfWriter()
    writer.append(io.BytesIO(first))
    writer.append(io.BytesIO(then))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode()
