"""Certification 1 by API: the signed scan, the attendance sheets, « Certifier », the PDFs."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import FileResponse, HttpRequest
from ninja import Router, Status
from ninja.files import UploadedFile
from ninja.params import functions as param_functions

from realisa.api.endpoints.common import (
    READ_ERRORS,
    month_output,
    not_found,
    require_member,
    responses,
    user_of,
    visible_month,
)
from realisa.api.endpoints.dossiers import IdPath, MonthPath, NumberPath
from realisa.api.schemas import MonthOut, Problem, VersionOut
from realisa.api.serializers import version_out
from realisa.certificates import certification
from realisa.certificates.models import AttendanceSheet
from realisa.certificates.visible_months import Month
from realisa.documents.files import download_name
from realisa.documents.models import CertificateVersion
from realisa.lib.files import serve_private_file
from realisa.lib.uploads import check_pdf_or_image, rename_to

router = Router(tags=["Certification 1 (papier) et PDF"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "Le PDF de cette version, tel qu'il a été émis.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _checked(upload: UploadedFile) -> UploadedFile:
    """The same checks by content as the screen's upload fields (PDF, PNG or JPEG)."""
    rename_to(upload, check_pdf_or_image(upload))
    return upload


def _reloaded(request: HttpRequest, number: str, month: str) -> dict[str, Any]:
    return month_output(visible_month(request, number, month))


@router.post(
    "/dossiers/{number}/months/{month}/signed-scan",
    response=responses(MonthOut),
    url_name="signed_scan",
)
def put_signed_scan(
    request: HttpRequest,
    number: NumberPath,
    month: MonthPath,
    file: Annotated[UploadedFile, param_functions.File(..., description="Le certificat signé.")],
) -> dict[str, Any]:
    """Step 2: « déposer le certificat signé » (replaces the previous one)."""
    current = visible_month(request, number, month)
    certificate = require_member(current)
    certification.replace_signed_scan(
        certificate, _checked(file), actor=user_of(request), request=request
    )
    return _reloaded(request, number, month)


@router.delete(
    "/dossiers/{number}/months/{month}/signed-scan",
    response=responses(MonthOut),
    url_name="signed_scan_remove",
)
def delete_signed_scan(
    request: HttpRequest, number: NumberPath, month: MonthPath
) -> dict[str, Any]:
    current = visible_month(request, number, month)
    certificate = require_member(current)
    certification.remove_signed_scan(certificate, actor=user_of(request), request=request)
    return _reloaded(request, number, month)


@router.post(
    "/dossiers/{number}/months/{month}/attendance-sheets",
    response=responses(MonthOut, code=201),
    url_name="sheets",
)
def add_sheet(
    request: HttpRequest,
    number: NumberPath,
    month: MonthPath,
    file: Annotated[UploadedFile, param_functions.File(..., description="PDF, PNG ou JPEG.")],
) -> Status[dict[str, Any]]:
    current = visible_month(request, number, month)
    certificate = require_member(current)
    certification.add_attendance_sheet(
        certificate, _checked(file), actor=user_of(request), request=request
    )
    return Status(201, _reloaded(request, number, month))


def _sheet(current: Month, sheet_id: int) -> AttendanceSheet:
    sheet = AttendanceSheet.objects.filter(pk=sheet_id, certificate=current.certificate).first()
    if sheet is None:
        raise not_found("Cette feuille d'émargement n'existe pas.")
    return sheet


@router.delete(
    "/dossiers/{number}/months/{month}/attendance-sheets/{sheet_id}",
    response=responses(MonthOut),
    url_name="sheet",
)
def delete_sheet(
    request: HttpRequest,
    number: NumberPath,
    month: MonthPath,
    sheet_id: IdPath,
) -> dict[str, Any]:
    current = visible_month(request, number, month)
    require_member(current)
    sheet = _sheet(current, sheet_id)
    certification.remove_attendance_sheet(sheet, actor=user_of(request), request=request)
    return _reloaded(request, number, month)


@router.post(
    "/dossiers/{number}/months/{month}/certify-paper",
    response=responses(MonthOut),
    url_name="certify_paper",
)
def certify_paper(request: HttpRequest, number: NumberPath, month: MonthPath) -> dict[str, Any]:
    """« Certifier » (certification 1): needs the signed scan; the hours can no longer change.
    A month already certified answers 409 « Ce certificat de réalisation est déjà certifié. »"""
    current = visible_month(request, number, month)
    certificate = require_member(current)
    certification.certify_paper(certificate, actor=user_of(request), request=request)
    return _reloaded(request, number, month)


@router.get(
    "/dossiers/{number}/months/{month}/versions",
    response=responses(list[VersionOut], errors=READ_ERRORS),
    url_name="versions",
)
def list_versions(
    request: HttpRequest, number: NumberPath, month: MonthPath
) -> list[dict[str, Any]]:
    current = visible_month(request, number, month)
    if current.certificate is None:
        return []
    versions = CertificateVersion.objects.visible_to(request.user).filter(
        certificate=current.certificate
    )
    return [version_out(v) for v in versions.order_by("number")]


@router.get(
    "/versions/{version_id}/pdf",
    response={READ_ERRORS: Problem},
    url_name="version_pdf",
    openapi_extra=PDF_RESPONSE,
)
def version_pdf(request: HttpRequest, version_id: IdPath) -> FileResponse:
    """Any version's PDF, as it was issued (the latest is the last of ``versions``)."""
    version = (
        CertificateVersion.objects.visible_to(request.user)
        .select_related("certificate__dossier")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise not_found("Cette version n'existe pas ou ne vous est pas accessible.")
    return serve_private_file(version.file, download_name(version, numbered=True))
