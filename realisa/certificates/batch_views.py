"""« Certifier en lot »'s pages: the months to tick, the batch's summary with its one code,
its progress and its result. Thin: the rules live in ``batch_certification.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from realisa.accounts.decorators import current_user, of_member_required
from realisa.accounts.models import User
from realisa.certificates import batch_certification as batches
from realisa.certificates import codes, paper_batch
from realisa.certificates.abilities import actor_of, online_reasons
from realisa.certificates.models import Certificate, CertificationBatch
from realisa.certificates.online import OnlineRefused
from realisa.certificates.online_views import CodeForm
from realisa.certificates.plan import certificate_hours, find_period, month_plan
from realisa.certificates.rules import Hours
from realisa.lib.errors import Invalid, Refused
from realisa.lib.files import serve_private_file
from realisa.lib.french import french_month
from realisa.lib.htmx import is_htmx
from realisa.lib.privacy import mask_email

PAGE = "certificates/batch.html"


class MonthFilter(forms.Form):
    """The list's filters: a month, a training."""

    def __init__(self, data: Any, months: list[Certificate]) -> None:
        super().__init__(data)
        self.label_suffix = ""
        seen = sorted({c.month for c in months})
        titles = sorted({c.dossier.training_title for c in months})
        self.fields["month"] = forms.ChoiceField(
            label="Mois",
            required=False,
            choices=[("", "Tous les mois")]
            + [(f"{m:%Y-%m}", french_month(m).capitalize()) for m in seen],
        )
        self.fields["training"] = forms.ChoiceField(
            label="Formation",
            required=False,
            choices=[("", "Toutes les formations")] + [(title, title) for title in titles],
        )

    def kept(self, months: list[Certificate]) -> list[Certificate]:
        if not self.is_valid():
            return months
        month, training = self.cleaned_data["month"], self.cleaned_data["training"]
        return [
            c
            for c in months
            if (not month or f"{c.month:%Y-%m}" == month)
            and (not training or c.dossier.training_title == training)
        ]


@dataclass(frozen=True)
class Row:
    """A month as the list and the summary show it: its hours against its plan."""

    certificate: Certificate
    hours: Hours
    planned: int | None  # the month's planned presence, None without a planned calendar

    @property
    def gap(self) -> int | None:
        return None if self.planned is None else self.hours.presence - self.planned


def rows_of(certificates: list[Certificate]) -> list[Row]:
    rows = []
    for certificate in certificates:
        period = find_period(certificate.dossier, certificate.month)
        plan = month_plan(certificate.dossier, period) if period else None
        planned = plan.planned_total if plan else None
        rows.append(Row(certificate, certificate_hours(certificate), planned))
    return rows


def summary_of(rows: list[Row]) -> dict[str, Any]:
    """Trainees, hours, and the differences from the plan of the months shown."""
    return {
        "trainees": len({row.certificate.dossier_id for row in rows}),
        "months": len(rows),
        "centre": sum(row.hours.centre for row in rows),
        "internship": sum(row.hours.internship for row in rows),
        "absence": sum(row.hours.absence for row in rows),
        "gaps": sum(1 for row in rows if row.gap),
    }


@of_member_required
def batch_new(request: HttpRequest) -> HttpResponse:
    """The months the person may certify online, to tick; « Préparer le lot »."""
    user = current_user(request)
    months = batches.certifiable_months(user)
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("months") if pk.isdigit()]
        try:
            batch = batches.open_batch(user, ids)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            return redirect("certificates:batch", batch.pk)
    filters = MonthFilter(request.GET or None, months)
    rows = rows_of(filters.kept(months))
    context = {
        "filters": filters,
        "rows": rows,
        "summary": summary_of(rows),
        "reasons": online_reasons(actor_of(user)),
        "switched_off": not settings.BATCH_ONLINE_CERTIFICATION,
        "batches": batches.batches_of(user)[:5],
    }
    return render(request, "certificates/batch_new.html", context)


def _batch(user: User, pk: int) -> CertificationBatch:
    return get_object_or_404(batches.batches_of(user).select_related("organisation"), pk=pk)


@of_member_required
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    batch = _batch(user, pk)
    return _page(request, user, batch, CodeForm())


def _page(
    request: HttpRequest, user: User, batch: CertificationBatch, form: CodeForm, status: int = 200
) -> HttpResponse:
    lines = list(batch.lines.select_related("certificate__dossier__beneficiary"))
    rows = rows_of([line.certificate for line in lines])
    code = codes.active_code(batch, user)
    context = {
        "batch": batch,
        "lines": list(zip(lines, rows, strict=True)),
        "summary": summary_of(rows),
        "code": code,
        "sent_to": mask_email(code.sent_to) if code else "",
        "form": form,
        "certified": [line for line in lines if line.outcome == "certified"],
        "failed": [line for line in lines if line.outcome == "failed"],
        "pending": sum(line.outcome == "pending" for line in lines),
    }
    return render(request, PAGE, context, status=status)


@require_POST
@of_member_required
def batch_send(request: HttpRequest, pk: int) -> HttpResponse:
    """« Envoyer le code de vérification par email », once for the batch."""
    user = current_user(request)
    batch = _batch(user, pk)
    try:
        issued = batches.request_batch_code(batch, actor=user, request=request)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        to = mask_email(issued.record.sent_to)
        messages.success(request, f"Un code de vérification a été envoyé à {to}.")
    return redirect("certificates:batch", batch.pk)


@require_POST
@of_member_required
def batch_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The code typed back: the batch is certified, line by line."""
    user = current_user(request)
    batch = _batch(user, pk)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _page(request, user, batch, form, status=422)
    try:
        batches.confirm_batch(batch, form.cleaned_data["code"], actor=user, request=request)
    except Invalid as invalid:
        form.add_error("code", invalid.errors.get("code", invalid.message))
        return _page(request, user, batch, form, status=422)
    except OnlineRefused as refused:
        form.add_error("code", refused.message)
        return _page(request, user, batch, form, status=409)
    except Refused as refused:  # confirmed already (another tab, a double click)
        messages.info(request, refused.message)
    return redirect("certificates:batch", batch.pk)


@of_member_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the page that follows a batch running in the background (htmx); once the
    batch is done, the whole page again, so that its table links the sealed certificates."""
    user = current_user(request)
    batch = _batch(user, pk)
    if batch.state == CertificationBatch.State.DONE and is_htmx(request):
        return HttpResponseClientRefresh()
    lines = list(batch.lines.select_related("certificate__dossier"))
    context = {
        "batch": batch,
        "certified": [line for line in lines if line.outcome == "certified"],
        "failed": [line for line in lines if line.outcome == "failed"],
        "pending": sum(line.outcome == "pending" for line in lines),
    }
    return render(request, "certificates/_batch_progress.html", context)


@of_member_required
def batch_manifest(request: HttpRequest, pk: int) -> FileResponse:
    batch = _batch(current_user(request), pk)
    if not batch.manifest:
        raise Http404
    return serve_private_file(batch.manifest, f"manifeste-{batch.reference}.pdf")


@of_member_required
def batch_paper(request: HttpRequest) -> HttpResponse:
    """« Certifier en lot » on paper: the signed scans, each matched to its month by its QR
    code (``scans``) or chosen by hand (``scan-<month's pk>``), deposited and certified."""
    user = current_user(request)
    months = paper_batch.paper_months(user)
    lines: list[paper_batch.ScanLine] = []
    if request.method == "POST":
        by_pk = {certificate.pk: certificate for certificate in months}
        chosen = [
            (paper_batch.ScanLine(upload.name or "scan.pdf", by_pk[pk], by_hand=True), upload)
            for pk in by_pk
            if (upload := request.FILES.get(f"scan-{pk}")) is not None
        ]
        read = [(paper_batch.matched(u, by_pk), u) for u in request.FILES.getlist("scans")]
        lines = paper_batch.certify_scans([*chosen, *read], actor=user, request=request)
        if not lines:
            messages.error(request, "Déposez au moins un certificat signé.")
        months = paper_batch.paper_months(user)  # the months certified just now are gone
    context = {
        "rows": rows_of(months),
        "certified": [line for line in lines if line.certified],
        "failed": [line for line in lines if not line.certified],
    }
    return render(request, "certificates/batch_paper.html", context, status=200)
