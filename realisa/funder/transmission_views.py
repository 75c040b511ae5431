"""« Transmission des heures »: the ready months, the batches and their files."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import agent_required, current_user
from realisa.funder.models import Transmission
from realisa.funder.transmission import TransmissionRefused, create_transmission, ready_certificates


def is_id(value: str) -> bool:
    """A ticked month's id, as the page sends it: ASCII digits that fit the database."""
    return value.isascii() and value.isdigit() and len(value) <= 18


@agent_required
def ready(request: HttpRequest) -> HttpResponse:
    context = {
        "certificates": ready_certificates(),
        "transmissions": Transmission.objects.defer("csv_data", "json_data")[:20],
    }
    return render(request, "funder/transmissions.html", context)


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
    lines = transmission.lines.select_related(
        "certificate__dossier__organisation", "certificate__dossier__beneficiary"
    )
    return render(
        request, "funder/transmission.html", {"transmission": transmission, "lines": lines}
    )


def _file(transmission: Transmission, kind: str) -> HttpResponse:
    data = bytes(transmission.csv_data if kind == "csv" else transmission.json_data)
    content_type = "text/csv; charset=utf-8" if kind == "csv" else "application/json"
    response = HttpResponse(data, content_type=content_type)
    name = f"transmission-{transmission.pk}-{transmission.created_at:%Y%m%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@agent_required
def csv_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(get_object_or_404(Transmission, pk=pk), "csv")


@agent_required
def json_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(get_object_or_404(Transmission, pk=pk), "json")
