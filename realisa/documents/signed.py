"""Certification 1's certificate: the signed scan behind a cover, sealed by the portal.

After « Certifier » on paper, the month's certificate is no longer the generated PDF the
organisation printed but what it signed: ``signed_version`` makes a portal PDF whose first
page is a cover rendered from ``templates_typst/signed_cover.typ`` (reference, when and by
whom the month was certified, the QR code of the verification page), followed by the
signed scan as uploaded. A PDF scan's pages are copied as they are (pypdf copies their
objects, content streams and images untouched); an image scan (PNG or JPEG) becomes a
whole page of the same PDF (Typst embeds a JPEG's bytes as they are, a PNG's pixels
losslessly). The portal seals the whole (``sealing.seal_pdf``, as the online
certification's versions) and stores it as the certificate's next version, the one every
party downloads; the earlier, unsigned versions stay in the history.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdf
import typst
from django.conf import settings
from django.utils import timezone

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import VersionReason
from realisa.documents.data import month_period, verification_url
from realisa.documents.models import CertificateVersion
from realisa.documents.record import certificate_record
from realisa.documents.render import PDF_STANDARDS, SealBox, qr_svg, qr_text
from realisa.documents.sealing import seal_pdf
from realisa.documents.services import Rendered, about, new_reference, next_number, store_version
from realisa.lib.french import french_date, french_month, of_month
from realisa.lib.hours import format_minutes

if TYPE_CHECKING:  # the caller holds the certificate's row lock
    from realisa.certificates.models import Certificate

COVER = Path(__file__).parent / "templates_typst" / "signed_cover.typ"
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
NO_NAME = "(nom non renseigné)"
# The seal is invisible (a field without a rectangle): the scan carries the signature and
# the stamp, and the cover says in words what the seal covers.
NO_SEAL_BOX = SealBox(page=0, rect=(0, 0, 0, 0))


def moment(at: datetime | None) -> str:
    """« 2 avril 2026 à 9 h 05 », in the portal's time zone."""
    if at is None:
        return "—"
    local = timezone.localtime(at)
    return f"{french_date(local.date())} à {local.hour} h {local.minute:02d}"


def scan_pages_phrase(count: int) -> str:
    """Where the signed scan is, for the cover's sentence « … le certificat signé »."""
    if count == 1:
        return "la page suivante est"
    return f"les {count} pages suivantes sont"


def certifier(certificate: Certificate) -> str:
    """Who clicked « Certifier », by name and role (never by login), and for whom."""
    user = certificate.certified_by
    organisation = certificate.dossier.organisation.name
    if user is None:
        return f"{NO_NAME}, pour {organisation}"
    name = user.get_full_name() or NO_NAME
    return f"{name} ({user.get_role_display().lower()}), pour {organisation}"


def cover_fields(
    certificate: Certificate, rendered: Rendered, *, scan_pages: int
) -> dict[str, Any]:
    """Everything the cover shows, ready for JSON."""
    dossier = certificate.dossier
    return {
        "funder_name": settings.FUNDER_NAME,
        "dossier_number": dossier.number,
        "month": french_month(certificate.month),
        "beneficiary": dossier.beneficiary.formal_name,
        "organisation_name": dossier.organisation.name,
        "centre": format_minutes(certificate.centre_minutes),
        "internship": format_minutes(certificate.internship_minutes),
        "presence": format_minutes(certificate.presence_minutes),
        "absence": format_minutes(certificate.absence_minutes),
        "certified_at": moment(certificate.certified_at),
        "certified_by": certifier(certificate),
        "scan_uploaded_at": moment(certificate.signed_scan_uploaded_at),
        "scan_sha256": certificate.signed_scan_sha256,
        "scan_pages": scan_pages_phrase(scan_pages),
        "attendance_sheets": certificate.attendance_sheets.count(),
        "reference": rendered.reference,
        "version": rendered.number,
        "issued_on": french_date(timezone.localdate(rendered.created_at)),
        "verification_url": verification_url(rendered.reference),
    }


def render_cover(
    fields: dict[str, Any],
    *,
    images: Sequence[bytes] = (),
    created_at: datetime,
    record: bytes = b"",
) -> bytes:
    """The cover, followed by one whole page per image of ``images``, PDF/A-3b and
    PDF/UA-1 with ``record`` (``certificat.json``) attached. Typst reads the images as files
    of its root folder: a temporary one, holding the template too."""
    with tempfile.TemporaryDirectory(prefix="realisa-signed-") as folder:
        root = Path(folder)
        names = []
        for index, image in enumerate(images, start=1):
            name = f"scan-{index}{'.jpg' if image.startswith(JPEG_MAGIC) else '.png'}"
            (root / name).write_bytes(image)
            names.append(name)
        (root / COVER.name).write_bytes(COVER.read_bytes())
        pdf = typst.compile(
            root / COVER.name,
            root=root,
            format="pdf",
            ignore_system_fonts=True,
            pdf_standards=PDF_STANDARDS,
            timestamp=created_at.replace(microsecond=0),
            sys_inputs={
                "data": json.dumps(fields, ensure_ascii=False),
                "qr": qr_svg(qr_text(fields["verification_url"], record)),
                "scans": json.dumps(names),
                **({"record": record.decode()} if record else {}),
            },
        )
    if not isinstance(pdf, bytes):  # a PDF is one file, never a list of page images
        raise TypeError("Typst returned pages instead of one PDF")
    return pdf


def cover_then_pages(cover: bytes, scan: bytes) -> bytes:
    """One PDF: the cover's page, then every page of the PDF ``scan``, copied as they are,
    with the cover's title and author and its ``certificat.json``. The scan's pages are
    the organisation's: the whole does not claim PDF/A, only the cover is."""
    writer = pypdf.PdfWriter()
    writer.append(io.BytesIO(cover))
    writer.append(io.BytesIO(scan), import_outline=False)
    reader = pypdf.PdfReader(io.BytesIO(cover))
    info = reader.metadata
    if info is not None:
        writer.add_metadata({key: str(info[key]) for key in ("/Title", "/Author") if key in info})
    for name, (content, *_) in reader.attachments.items():
        attached = writer.add_attachment(name, content)
        attached.subtype = pypdf.generic.NameObject("/application/json")
        attached.associated_file_relationship = pypdf.generic.NameObject("/Data")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_pdf(certificate: Certificate, rendered: Rendered, scan: bytes) -> bytes:
    """The cover then the signed scan ``scan`` (a PDF, or a PNG or JPEG image), unsealed."""
    record = certificate_record(
        certificate,
        month_period(certificate),
        reference=rendered.reference,
        version=rendered.number,
        issued_on=timezone.localdate(rendered.created_at),
    )
    if not scan.startswith(PDF_MAGIC):
        fields = cover_fields(certificate, rendered, scan_pages=1)
        return render_cover(fields, images=[scan], created_at=rendered.created_at, record=record)
    pages = len(pypdf.PdfReader(io.BytesIO(scan)).pages)
    fields = cover_fields(certificate, rendered, scan_pages=pages)
    cover = render_cover(fields, created_at=rendered.created_at, record=record)
    return cover_then_pages(cover, scan)


def read_scan(certificate: Certificate) -> bytes:
    with certificate.signed_scan.open("rb") as handle:
        return bytes(handle.read())


def signed_version(certificate: Certificate, *, actor: Any) -> CertificateVersion:
    """The certified month's signed certificate, sealed, stored as its next version. The
    caller holds the row lock and has just certified the month on paper."""
    scan = read_scan(certificate)
    now = timezone.now()
    number = next_number(certificate)
    unsealed = Rendered(number, new_reference(), now, b"", certificate.version, NO_SEAL_BOX)
    rendered = replace(unsealed, pdf=signed_pdf(certificate, unsealed, scan))
    organisation = certificate.dossier.organisation.name
    name = certificate.certified_by.get_full_name() if certificate.certified_by else ""
    result = seal_pdf(
        rendered.pdf,
        appearance=None,  # the cover says what the seal is; the scan carries the signature
        reason=f"Certificat signé des heures {of_month(certificate.month)} (dossier "
        f"{certificate.dossier.number}), certifié par {name or NO_NAME}",
        organisation=organisation,
    )
    version = store_version(
        certificate, rendered, result.pdf, reason=VersionReason.SIGNED, actor=actor
    )
    record(
        EventType.PDF_SEALED,
        actor=actor,
        obj=certificate,
        payload={
            **about(version),
            "scan_sha256": hashlib.sha256(scan).hexdigest(),
            "level": result.level,
            "fallback": result.fallback_reason,
        },
    )
    return version
