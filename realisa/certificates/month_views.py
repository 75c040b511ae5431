"""A month's page: its hours, its PDF and, for certification 1, the seed's three steps
(download and print; « déposer le certificat signé »; attendance sheets) and « Certifier »."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import current_user
from realisa.certificates import certification
from realisa.certificates.lifecycle import AlreadyDone
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.certificates.paper_forms import AttendanceSheetForm, SignedScanForm
from realisa.certificates.plan import certified_plan
from realisa.certificates.visible_months import (
    Month,
    organisation_certificate,
    stored_certificate,
    visible_month,
)
from realisa.lib.errors import NotAllowed
from realisa.lib.files import serve_private_file
from realisa.lib.french import of_month


def load_month(request: HttpRequest, number: str, year: int, month: int) -> Month:
    """The month of a dossier the person sees (404 otherwise): what every month page
    starts from."""
    try:
        first = date(year, month, 1)
    except ValueError as error:
        raise Http404("Ce mois ne fait pas partie de la formation.") from error
    return visible_month(request.user, number, first)


def reloaded(month: Month) -> Month:
    """The same month read again, after a step changed or refused it."""
    certificate = Certificate.objects.get(pk=stored_certificate(month).pk)
    return replace(month, certificate=certificate)


def _page(
    request: HttpRequest,
    month: Month,
    *,
    scan_form: Form | None = None,
    sheet_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    can, certificate = month.can, month.certificate
    context = {
        "dossier": month.dossier,
        "period": month.period,
        "certificate": certificate,
        "status": month.facts.status,
        "version": month.version,
        "can": can,
        "actor": month.actor,
        "facts": month.facts,
        "sheets": list(certificate.attendance_sheets.all()) if certificate else [],
        "reminders": certification.completeness_reminders(month.dossier.organisation)
        if can.upload_scan
        else [],
        "scan_form": scan_form or SignedScanForm(),
        "sheet_form": sheet_form or AttendanceSheetForm(),
        "tab": "certificates",
        "month_name": of_month(month.period.month),
        "certified_plan": certified_plan(certificate) if certificate else None,
    }
    return render(request, "certificates/month.html", context, status=status)


@login_required
def month_detail(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    return _page(request, load_month(request, number, year, month))


def _act(
    request: HttpRequest, month: Month, done: str, step: Callable[..., object], *args: object
) -> HttpResponse:
    """Run a certification ``step`` as the person and go back to the month. Someone did it a
    moment ago: a notice; any other refusal goes on to its page (``lib.refusals``)."""
    try:
        step(*args, actor=current_user(request), request=request)
    except AlreadyDone as error:
        messages.info(request, error.message)
    else:
        messages.success(request, done)
    key = month.period.month
    return redirect("certificates:month", month.dossier.number, key.year, key.month)


def _upload(
    request: HttpRequest, current: Month, form: Form, form_name: str, service: Any, done: str
) -> HttpResponse:
    """Check the uploaded file by its content; give it to ``service``, or show the page
    again with the French reason (the previous file stays where it was)."""
    certificate = organisation_certificate(current)
    if not form.is_valid():
        return _page(request, current, status=400, **{form_name: form})
    upload = next(iter(form.cleaned_data.values()))
    return _act(request, current, done, service, certificate, upload)


@require_POST
@login_required
def signed_scan_upload(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    return _upload(
        request,
        load_month(request, number, year, month),
        SignedScanForm(request.POST, request.FILES),
        "scan_form",
        certification.replace_signed_scan,
        "Le certificat signé est déposé.",
    )


@require_POST
@login_required
def signed_scan_remove(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current = load_month(request, number, year, month)
    certificate = organisation_certificate(current)
    done = "Le certificat signé est supprimé."
    return _act(request, current, done, certification.remove_signed_scan, certificate)


@login_required
def signed_scan_file(request: HttpRequest, number: str, year: int, month: int) -> HttpResponseBase:
    current = load_month(request, number, year, month)
    certificate = stored_certificate(current)
    if not current.can.download_scan:  # not yet certified, or no scan: nothing to see
        raise Http404("Aucun certificat signé à télécharger pour ce mois.")
    suffix = certificate.signed_scan.name.rsplit(".", 1)[-1] if certificate.signed_scan else "pdf"
    name = f"certificat-realisation-signe-{current.dossier.number}-{current.period.month:%Y-%m}"
    return serve_private_file(certificate.signed_scan, f"{name}.{suffix}")


@require_POST
@login_required
def sheet_add(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    return _upload(
        request,
        load_month(request, number, year, month),
        AttendanceSheetForm(request.POST, request.FILES),
        "sheet_form",
        certification.add_attendance_sheet,
        "La feuille d'émargement est ajoutée.",
    )


def _sheet(current: Month, pk: int) -> AttendanceSheet:
    if not current.can.download_sheets:
        raise NotAllowed("Les feuilles d'émargement sont réservées à l'organisme et au financeur.")
    return get_object_or_404(AttendanceSheet, pk=pk, certificate=stored_certificate(current))


@require_POST
@login_required
def sheet_remove(request: HttpRequest, number: str, year: int, month: int, pk: int) -> HttpResponse:
    current = load_month(request, number, year, month)
    organisation_certificate(current)
    sheet = _sheet(current, pk)
    done = "La feuille d'émargement est supprimée."
    return _act(request, current, done, certification.remove_attendance_sheet, sheet)


@login_required
def sheet_file(
    request: HttpRequest, number: str, year: int, month: int, pk: int
) -> HttpResponseBase:
    current = load_month(request, number, year, month)
    sheet = _sheet(current, pk)
    suffix = sheet.file.name.rsplit(".", 1)[-1]
    return serve_private_file(
        sheet.file, f"feuille-emargement-{current.dossier.number}-{pk}.{suffix}"
    )


@require_POST
@login_required
def certify(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current = load_month(request, number, year, month)
    certificate = organisation_certificate(current)
    done = (
        "Les heures sont certifiées. Le bénéficiaire, son employeur et votre Transitions Pro "
        "sont prévenus par e-mail."
    )
    return _act(request, current, done, certification.certify_paper, certificate)
