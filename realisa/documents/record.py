"""``certificat.json``: what a certificate's PDF shows, for machines, attached to the PDF.

Every version carries it as an associated file (``/AF``, relationship « Data », PDF/A-3):
the hours in minutes, the dates in ISO form, the parties, the reference, and the chain of
the earlier versions' SHA-256 (a version cannot hold its own). An auditor reads the same
facts as the page without reading the page; the QR code's signed payload names this file
by its SHA-256.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings

from realisa.choices import SHARED_STATUSES
from realisa.documents.links import verification_url

if TYPE_CHECKING:  # documents reads a certificate it is given; it never loads one
    from realisa.certificates.models import Certificate
    from realisa.dossiers.models import Dossier
    from realisa.dossiers.periods import MonthPeriod

RECORD_JSON = "certificat.json"
RECORD_FORMAT = "realisa/certificat-de-realisation/1"


def certificate_record(
    certificate: Certificate,
    period: MonthPeriod,
    *,
    reference: str,
    version: int,
    issued_on: date,
) -> bytes:
    """The JSON bytes of ``certificat.json`` for version ``version`` of ``certificate``."""
    dossier = certificate.dossier
    record = {
        "format": RECORD_FORMAT,
        "reference": reference,
        "version": version,
        "emis_le": issued_on.isoformat(),
        "provisoire": certificate.status not in SHARED_STATUSES,
        "statut": certificate.status,
        "financeur": settings.FUNDER_NAME,
        "dossier": dossier.number,
        "mois": certificate.month.strftime("%Y-%m"),
        "du": period.first_day.isoformat(),
        "au": period.last_day.isoformat(),
        "heures_minutes": {
            "presence_centre": certificate.centre_minutes,
            "presence_stage": certificate.internship_minutes,
            "absence": certificate.absence_minutes,
            "presence_totale": certificate.presence_minutes,
        },
        "motif_ecart": certificate.gap_reason.strip(),
        **_parties(dossier),
        "verification": verification_url(reference),
        "versions_precedentes": _earlier_versions(certificate, version),
    }
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _parties(dossier: Dossier) -> dict[str, Any]:
    """The organisation, the beneficiary, the employer and the training."""
    organisation = dossier.organisation
    return {
        "organisme": {
            "raison_sociale": organisation.name,
            "siret": organisation.siret,
            "declaration_activite": organisation.nda,
        },
        "beneficiaire": dossier.beneficiary.formal_name,
        "employeur": dossier.employer.name if dossier.employer else None,
        "action": {"intitule": dossier.training_title, "nature": dossier.action_nature},
    }


def _earlier_versions(certificate: Certificate, version: int) -> list[dict[str, Any]]:
    """Number, reference and SHA-256 of each version before ``version``: none to read for
    a first version (the month-start batch renders thousands of them)."""
    if version <= 1:
        return []
    rows = certificate.versions.filter(number__lt=version).order_by("number")
    return [
        {"version": number, "reference": reference, "sha256": sha256}
        for number, reference, sha256 in rows.values_list("number", "reference", "sha256")
    ]
