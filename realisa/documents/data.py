"""What a certificate's PDF shows: a plain structure built in one place.

The Typst template receives ``CertificateData.template_fields()`` as JSON and the logo as
bytes; it never reaches into the database. The organisation's stamp is not in it: the
portal's seal draws it, once, in the frame the page leaves empty (``seal_appearance``).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models.fields.files import FieldFile

from realisa.choices import SHARED_STATUSES, ActionNature
from realisa.documents.links import verification_url as verification_url  # re-exported
from realisa.documents.record import certificate_record
from realisa.dossiers.periods import MonthPeriod
from realisa.lib.french import french_date, french_month, hours_in_words
from realisa.lib.hours import format_minutes

if TYPE_CHECKING:  # documents reads a certificate it is given; it never loads one
    from realisa.certificates.models import Certificate
    from realisa.organisations.models import Organisation

BYTES_FIELDS = ("logo", "record")  # passed to the template as inputs of their own
DRAFT_WORDS = "Document provisoire — non certifié"


@dataclass(frozen=True)
class ActionBox:
    """One box of « Nature de l'action concourant au développement des compétences »."""

    label: str
    ticked: bool


@dataclass(frozen=True)
class CertificateData:
    reference: str
    version: int
    issued_on: str  # « 3 novembre 2026 »
    place: str  # « Fait à »: the organisation's city
    funder_name: str
    dossier_number: str
    month: str  # « novembre 2026 »
    organisation_name: str
    organisation_address: str
    organisation_siret: str
    organisation_nda: str
    legal_representative: str
    legal_representative_title: str
    beneficiary: str  # « Mme Julie MARTIN »
    employer: str | None  # None: the beneficiary has no employer on this dossier
    training_title: str
    natures: tuple[ActionBox, ...]
    first_day: str
    last_day: str
    duration: str  # « 140 heures 30 »
    centre: str  # « 120 h 30 »
    internship: str
    absence: str
    presence: str
    verification_url: str
    draft: bool = False  # not certified: « Document provisoire — non certifié » on each page
    gap_reason: str = ""  # « Motif de l'écart », printed as a footnote when given
    logo: bytes | None = field(default=None, repr=False)
    record: bytes = field(default=b"", repr=False)  # certificat.json (``record``), attached

    def template_fields(self) -> dict[str, Any]:
        """Everything but the logo, ready for JSON; ``has_logo`` says whether it comes too."""
        fields = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name not in BYTES_FIELDS
        }
        fields["natures"] = [dataclasses.asdict(box) for box in self.natures]
        fields["has_logo"] = self.logo is not None
        fields["draft_words"] = DRAFT_WORDS
        return fields


def month_period(certificate: Certificate) -> MonthPeriod:
    """The certificate's month, clipped to the training (the model's « du … au … »)."""
    dossier = certificate.dossier
    for period in dossier.months(held={certificate.month}):
        if period.month == certificate.month:
            return period
    raise ValueError(f"{certificate.month} is not a month of dossier {dossier.number}")


# The images read lately, by stored name: each upload is stored under a new random name
# (``lib.storage.private_name``) and a stored file is never rewritten, so a name always
# means the same bytes. The month-start batch thus reads an organisation's logo once per
# process, not once per certificate.
IMAGE_CACHE_SIZE = 32
_images: OrderedDict[str, bytes] = OrderedDict()
_images_lock = threading.Lock()


def read_image(image: FieldFile) -> bytes | None:
    """The bytes of a stored image, or None when there is none (or it went missing)."""
    if not image:
        return None
    name = image.name or ""
    with _images_lock:
        content = _images.get(name)
        if content is not None:
            _images.move_to_end(name)
            return content
    try:
        with image.open("rb") as handle:
            content = bytes(handle.read())
    except OSError:
        return None  # not kept: it may come back
    with _images_lock:
        _images[name] = content
        while len(_images) > IMAGE_CACHE_SIZE:
            _images.popitem(last=False)
    return content


def certificate_data(
    certificate: Certificate,
    *,
    reference: str,
    version: int,
    issued_on: date,
) -> CertificateData:
    """Everything the PDF of ``certificate`` shows, from the certificate and its dossier,
    organisation, beneficiary, employer and the funder's settings. Until the month is
    certified the PDF is a draft, and says so."""
    dossier = certificate.dossier
    organisation = dossier.organisation
    period = month_period(certificate)
    url = verification_url(reference)
    return CertificateData(
        reference=reference,
        version=version,
        issued_on=french_date(issued_on),
        place=organisation.city,
        funder_name=settings.FUNDER_NAME,
        dossier_number=dossier.number,
        month=french_month(certificate.month),
        **_organisation_fields(organisation),
        beneficiary=dossier.beneficiary.formal_name,
        employer=dossier.employer.name if dossier.employer else None,
        training_title=dossier.training_title,
        natures=_natures(dossier.action_nature),
        **_hours_fields(certificate, period),
        verification_url=url,
        draft=certificate.status not in SHARED_STATUSES,
        gap_reason=certificate.gap_reason.strip(),
        logo=read_image(organisation.logo),
        record=certificate_record(
            certificate, period, reference=reference, version=version, issued_on=issued_on
        ),
    )


def _natures(ticked: str) -> tuple[ActionBox, ...]:
    """The model's four boxes of « Nature de l'action », ``ticked`` ticked."""
    return tuple(ActionBox(label, value == ticked) for value, label in ActionNature.choices)


def _organisation_fields(organisation: Organisation) -> dict[str, str]:
    """The organisation's block of the model: name, address, SIRET, NDA, representative."""
    town = " ".join(part for part in (organisation.postal_code, organisation.city) if part)
    return {
        "organisation_name": organisation.name,
        "organisation_address": ", ".join(p for p in (organisation.address, town) if p),
        "organisation_siret": organisation.siret,
        "organisation_nda": organisation.nda,
        "legal_representative": organisation.legal_representative,
        "legal_representative_title": organisation.legal_representative_title,
    }


def _hours_fields(certificate: Certificate, period: MonthPeriod) -> dict[str, str]:
    """The month's days and hours, in the model's words."""
    return {
        "first_day": french_date(period.first_day),
        "last_day": french_date(period.last_day),
        "duration": hours_in_words(certificate.presence_minutes),
        "centre": format_minutes(certificate.centre_minutes),
        "internship": format_minutes(certificate.internship_minutes),
        "absence": format_minutes(certificate.absence_minutes),
        "presence": format_minutes(certificate.presence_minutes),
    }
