"""« Certifier en lot » on paper: one signed scan per month, each matched to its month by
the QR code printed on the certificate (``documents.qr``) or chosen by hand, then deposited
and certified as « Certifier » does (``certification``), each month on its own.

A scan is refused, with its reason, when it is not a PDF, when no QR code can be read on it
(choose its month by hand), when its QR code names a month that is not one of the person's
months to certify on paper, or when it names an earlier version of the certificate (the
hours changed since it was printed: print the new one). A month given twice in one deposit
keeps its first scan. A refusal holds back no other month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.certificates.abilities import abilities, actor_of, facts_of_certificate
from realisa.certificates.certification import certify_paper, replace_signed_scan
from realisa.certificates.models import Certificate
from realisa.certificates.queries import entered_months
from realisa.documents.models import CertificateVersion
from realisa.documents.qr import references_in
from realisa.documents.services import latest_version
from realisa.lib.errors import Refused
from realisa.lib.uploads import check_pdf

NO_QR = "Aucun QR code de certificat n'est lisible sur ce scan : choisissez son mois à la main."
NOT_OURS = "Le QR code de ce scan désigne un certificat qui n'est pas à certifier ici."


@dataclass
class ScanLine:
    """One scan of the deposit: its month, and whether it was certified or why not."""

    name: str
    certificate: Certificate | None = None
    reason: str = ""
    certified: bool = False
    by_hand: bool = False


def paper_months(user: User) -> list[Certificate]:
    """The months ``user`` may certify on paper now, across the organisation's dossiers."""
    if user.organisation_id is None:
        return []
    actor = actor_of(user)
    return [
        certificate
        for certificate in entered_months(user.organisation_id)
        if abilities(actor, facts_of_certificate(certificate, has_pdf=True)).upload_scan
    ]


def matched(upload: UploadedFile, months: dict[int, Certificate]) -> ScanLine:
    """The scan's month read from its QR code, among ``months`` (by pk), or why not."""
    line = ScanLine(upload.name or "scan.pdf")
    try:
        check_pdf(upload)
        upload.seek(0)
        references = references_in(upload.read())
    except ValidationError as error:
        line.reason = " ".join(error.messages)
        return line
    except Exception:  # pdfium refuses a damaged PDF that pypdf read
        line.reason = NO_QR
        return line
    finally:
        upload.seek(0)
    if not references:
        line.reason = NO_QR
        return line
    printed = CertificateVersion.objects.filter(
        reference__in=references, certificate_id__in=list(months)
    ).first()
    if printed is None:
        line.reason = NOT_OURS
        return line
    line.certificate = months[printed.certificate_id]
    latest = latest_version(line.certificate)
    if latest is not None and latest.pk != printed.pk:
        line.reason = (
            f"Ce scan porte la version {printed.reference} du certificat ; il a changé depuis "
            f"(version {latest.reference}) : imprimez la nouvelle version et signez-la."
        )
    return line


def certify_scans(
    lines: list[tuple[ScanLine, UploadedFile]], *, actor: User, request: HttpRequest | None
) -> list[ScanLine]:
    """Deposit each matched scan and certify its month; every other line says why not."""
    seen: dict[int, str] = {}
    for line, upload in lines:
        certificate = line.certificate
        if certificate is None or line.reason:
            continue
        if certificate.pk in seen:
            line.reason = f"Ce mois a déjà son scan dans ce dépôt ({seen[certificate.pk]})."
            continue
        seen[certificate.pk] = line.name
        _certify(line, certificate, upload, actor=actor, request=request)
    return [line for line, _ in lines]


def _certify(
    line: ScanLine, certificate: Certificate, upload: Any, *, actor: User, request: Any
) -> None:
    try:
        check_pdf(upload)
        upload.seek(0)
        replace_signed_scan(certificate, upload, actor=actor, request=request)
        certify_paper(certificate, actor=actor, request=request)
    except ValidationError as error:
        line.reason = " ".join(error.messages)
    except Refused as refused:
        line.reason = refused.message
    else:
        line.certified = True
