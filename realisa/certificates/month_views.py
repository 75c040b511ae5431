"""A month's page: its hours, its PDF and, for certification 1, the seed's three steps
(download and print; « déposer le certificat signé »; attendance sheets) and « Certifier »."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from realisa.certificates import certification
from realisa.certificates.certification import AlreadyCertified, CertificationError
from realisa.certificates.entry import NotAMember
from realisa.certificates.forms_paper import AttendanceSheetForm, SignedScanForm
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.certificates.months import MonthPeriod
from realisa.certificates.plan import find_period, of_month, status_of
from realisa.choices import MonthStatus
from realisa.documents.services import latest_version
from realisa.dossiers.models import Dossier
from realisa.lib.files import serve_private_file

CONFLICT = 409


@dataclass
class Month:
    dossier: Dossier
    period: MonthPeriod
    certificate: Certificate | None


def _month(request: HttpRequest, number: str, year: int, month: int) -> Month:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related(
            "organisation", "beneficiary", "employer"
        ),
        number=number,
    )
    try:
        period = find_period(dossier, date(year, month, 1))
    except ValueError:
        period = None
    if period is None:
        raise Http404("Ce mois ne fait pas partie de la formation.")
    certificate = Certificate.objects.filter(dossier=dossier, month=period.month).first()
    return Month(dossier, period, certificate)


def _certificate(month: Month) -> Certificate:
    if month.certificate is None:
        raise Http404("Aucune heure n'a encore été saisie pour ce mois.")
    return month.certificate


def _is_member(request: HttpRequest, dossier: Dossier) -> bool:
    user: Any = request.user
    return bool(user.is_of_member and user.organisation_id == dossier.organisation_id)


def _page(
    request: HttpRequest,
    month: Month,
    *,
    scan_form: Form | None = None,
    sheet_form: Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    certificate = month.certificate
    month_status = status_of(month.dossier, month.period, certificate, timezone.localdate())
    member = _is_member(request, month.dossier)
    paper_steps = member and month_status == MonthStatus.ENTERED
    context = {
        "dossier": month.dossier,
        "period": month.period,
        "certificate": certificate,
        "status": month_status,
        "version": latest_version(certificate) if certificate else None,
        "paper_steps": paper_steps,
        "sees_sheets": member or user.is_agent,
        "sheets": list(certificate.attendance_sheets.all()) if certificate else [],
        "reminders": certification.completeness_reminders(month.dossier.organisation)
        if paper_steps
        else [],
        "scan_form": scan_form or SignedScanForm(),
        "sheet_form": sheet_form or AttendanceSheetForm(),
        "error": error,
        "tab": "certificates",
        "month_name": of_month(month.period.month),
    }
    return render(request, "certificates/month.html", context, status=status)


@login_required
def month_detail(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    return _page(request, _month(request, number, year, month))


def _act(request: HttpRequest, month: Month, action: Any, done: str, **forms: Form) -> HttpResponse:
    """Run a certification service; turn its refusals into what the person should see."""
    try:
        action()
    except NotAMember as error:
        raise PermissionDenied(error.message) from error
    except AlreadyCertified as error:
        messages.info(request, error.message)
    except CertificationError as error:
        month.certificate = Certificate.objects.get(pk=_certificate(month).pk)
        return _page(request, month, error=error.message, status=CONFLICT, **forms)
    else:
        messages.success(request, done)
    key = month.period.month
    return redirect("certificates:month", month.dossier.number, key.year, key.month)


def _require_member(request: HttpRequest, month: Month) -> Certificate:
    if not _is_member(request, month.dossier):
        raise PermissionDenied("Seuls les membres de l'organisme de formation certifient.")
    return _certificate(month)


def _upload(
    request: HttpRequest, current: Month, form: Form, form_name: str, service: Any, done: str
) -> HttpResponse:
    """Check the uploaded file by its content; give it to ``service``, or show the page
    again with the French reason (the previous file stays where it was)."""
    certificate = _require_member(request, current)
    if not form.is_valid():
        return _page(request, current, error="", status=400, **{form_name: form})
    upload = next(iter(form.cleaned_data.values()))
    return _act(
        request,
        current,
        lambda: service(certificate, upload, actor=request.user, request=request),
        done,
        **{form_name: form},
    )


@require_POST
@login_required
def signed_scan_upload(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    return _upload(
        request,
        _month(request, number, year, month),
        SignedScanForm(request.POST, request.FILES),
        "scan_form",
        certification.replace_signed_scan,
        "Le certificat signé est déposé.",
    )


@require_POST
@login_required
def signed_scan_remove(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current = _month(request, number, year, month)
    certificate = _require_member(request, current)
    return _act(
        request,
        current,
        lambda: certification.remove_signed_scan(certificate, actor=request.user, request=request),
        "Le certificat signé est supprimé.",
    )


@login_required
def signed_scan_file(request: HttpRequest, number: str, year: int, month: int) -> HttpResponseBase:
    current = _month(request, number, year, month)
    certificate = _certificate(current)
    user: Any = request.user
    if not (certificate.is_shared or user.is_agent or _is_member(request, current.dossier)):
        raise Http404("Ce certificat n'est pas encore certifié.")
    suffix = certificate.signed_scan.name.rsplit(".", 1)[-1] if certificate.signed_scan else "pdf"
    name = f"certificat-realisation-signe-{current.dossier.number}-{current.period.month:%Y-%m}"
    return serve_private_file(certificate.signed_scan, f"{name}.{suffix}")


@require_POST
@login_required
def sheet_add(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    return _upload(
        request,
        _month(request, number, year, month),
        AttendanceSheetForm(request.POST, request.FILES),
        "sheet_form",
        certification.add_attendance_sheet,
        "La feuille d'émargement est ajoutée.",
    )


def _sheet(request: HttpRequest, current: Month, pk: int) -> AttendanceSheet:
    user: Any = request.user
    if not (_is_member(request, current.dossier) or user.is_agent):
        raise PermissionDenied("Les feuilles d'émargement sont réservées à l'organisme.")
    return get_object_or_404(AttendanceSheet, pk=pk, certificate=_certificate(current))


@require_POST
@login_required
def sheet_remove(request: HttpRequest, number: str, year: int, month: int, pk: int) -> HttpResponse:
    current = _month(request, number, year, month)
    _require_member(request, current)
    sheet = _sheet(request, current, pk)
    return _act(
        request,
        current,
        lambda: certification.remove_attendance_sheet(sheet, actor=request.user, request=request),
        "La feuille d'émargement est supprimée.",
    )


@login_required
def sheet_file(
    request: HttpRequest, number: str, year: int, month: int, pk: int
) -> HttpResponseBase:
    current = _month(request, number, year, month)
    sheet = _sheet(request, current, pk)
    suffix = sheet.file.name.rsplit(".", 1)[-1]
    return serve_private_file(
        sheet.file, f"feuille-emargement-{current.dossier.number}-{pk}.{suffix}"
    )


@require_POST
@login_required
def certify(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current = _month(request, number, year, month)
    certificate = _require_member(request, current)
    return _act(
        request,
        current,
        lambda: certification.certify_paper(certificate, actor=request.user, request=request),
        "Les heures sont certifiées. Le bénéficiaire, son employeur et votre Transitions Pro "
        "sont prévenus par e-mail.",
    )
