"""« Transmission des heures »: the ready months, the batches and their files."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import agent_required, current_user
from realisa.funder.forms import CancelForm
from realisa.funder.list_filters import PER_PAGE, ReadyListFilter
from realisa.funder.models import Transmission, TransmissionCancellation
from realisa.funder.transmission import (
    TransmissionRefused,
    cancel_refusal,
    cancel_transmission,
    create_transmission,
    ready_certificates,
    selection,
    taken_file,
)

BATCHES_PER_PAGE = 20


def is_id(value: str) -> bool:
    """A ticked month's id, as the page sends it: ASCII digits that fit the database."""
    return value.isascii() and value.isdigit() and len(value) <= 18


@agent_required
def ready(request: HttpRequest) -> HttpResponse:
    """« Prêts à transmettre »: filtered, 50 a page, nothing ticked; the batches sent."""
    filters = ReadyListFilter(request.GET or None, queryset=ready_certificates())
    batches = Transmission.objects.defer("csv_data", "json_data")
    context = {
        "form": filters.form,
        "page": Paginator(filters.qs, PER_PAGE).get_page(request.GET.get("page")),
        "batches": Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("lots")),
    }
    return render(request, "funder/transmissions.html", context)


@agent_required
def confirm(request: HttpRequest) -> HttpResponse:
    """The confirmation step, which changes nothing (a GET): the ticked months, or with
    « tout sélectionner » every month of the filter; their count, hours totals and
    organisations, then « Transmettre »."""
    if request.GET.get("tout"):
        chosen = ReadyListFilter(request.GET, queryset=ready_certificates()).qs
    else:
        ids = [int(value) for value in request.GET.getlist("certificat") if is_id(value)]
        chosen = ready_certificates().filter(pk__in=ids)
    picked = selection(chosen)
    if not picked.count:
        messages.error(request, "Sélectionnez au moins un mois à transmettre.")
        return redirect("funder:transmissions")
    return render(request, "funder/transmission_confirm.html", {"selection": picked})


@require_POST
@agent_required
def create(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("certificat") if is_id(value)]
    try:
        transmission, created = create_transmission(
            ids, actor=current_user(request), request=request
        )
    except TransmissionRefused as error:
        messages.error(request, error.message)
        return redirect("funder:transmissions")
    if created:
        messages.success(
            request, f"{transmission} créée : {transmission.line_count} mois transmis."
        )
    else:
        messages.info(request, f"Ces mois ont déjà été transmis par la {transmission}.")
    return redirect("funder:transmission", pk=transmission.pk)


@agent_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    transmission = get_object_or_404(Transmission.objects.defer("csv_data", "json_data"), pk=pk)
    return _detail(request, transmission, CancelForm(), 200)


def _detail(
    request: HttpRequest, transmission: Transmission, form: CancelForm, status: int
) -> HttpResponse:
    lines = list(
        transmission.lines.select_related(
            "certificate__dossier__organisation", "certificate__dossier__beneficiary", "corrects"
        )
    )
    context = {
        "transmission": transmission,
        "lines": lines,
        "corrections": sum(1 for line in lines if line.corrects_id is not None),
        "cancellation": TransmissionCancellation.objects.filter(transmission=transmission)
        .select_related("cancelled_by")
        .first(),
        "downloads": transmission.downloads.select_related("downloaded_by"),
        "cancel_refusal": cancel_refusal(transmission),
        "form": form,
    }
    return render(request, "funder/transmission.html", context, status=status)


@require_POST
@agent_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """« Annuler la transmission »: with a reason, until its file was taken."""
    transmission = get_object_or_404(Transmission.objects.defer("csv_data", "json_data"), pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail(request, transmission, form, 422)
    try:
        cancel_transmission(
            transmission,
            actor=current_user(request),
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except TransmissionRefused as error:
        messages.error(request, error.message)
        return redirect("funder:transmission", pk=transmission.pk)
    messages.success(
        request,
        f"{transmission} annulée : ses {transmission.line_count} mois sont de nouveau prêts "
        "à transmettre.",
    )
    return redirect("funder:transmission", pk=transmission.pk)


@agent_required
def csv_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Transmission, pk=pk)
    return taken_file(found, "csv", via="portail", actor=current_user(request))


@agent_required
def json_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Transmission, pk=pk)
    return taken_file(found, "json", via="portail", actor=current_user(request))
