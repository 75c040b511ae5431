"""The agents' dashboard: a month's statuses, the late organisations, the filtered list
and its streamed CSV export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from realisa.accounts.decorators import agent_required
from realisa.certificates.months import month_end
from realisa.funder.exports import export_chunks
from realisa.funder.forms import DashboardFilter
from realisa.funder.late import late_by_organisation, late_months
from realisa.funder.months import iter_rows, iter_values, status_counts
from realisa.organisations.models import Organisation

CHART_WIDTH = 320


def default_month(today: date) -> date:
    """The month that closed last: the one whose hours are now expected."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _filters(request: HttpRequest, today: date) -> tuple[DashboardFilter, dict[str, Any]]:
    form = DashboardFilter(request.GET or None)
    values: dict[str, Any] = {"mois": default_month(today), "organisme": None, "statut": ""}
    if form.is_bound and form.is_valid():
        values.update({k: v for k, v in form.cleaned_data.items() if v})
    if not form.is_bound:
        form = DashboardFilter(initial={"mois": f"{values['mois']:%Y-%m}"})
    return form, values


def chart_bars(counts: list[Any]) -> list[dict[str, Any]]:
    """The SVG bars: one per status, width in proportion to the largest count."""
    largest = max((count for _, count in counts), default=0) or 1
    return [
        {
            "status": status,
            "count": count,
            "width": round(CHART_WIDTH * count / largest),
            "y": index * 28,
        }
        for index, (status, count) in enumerate(counts)
    ]


@agent_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, values = _filters(request, today)
    month, organisation = values["mois"], values["organisme"]
    org_id = organisation.pk if organisation else None
    counts = status_counts(month, today, org_id)
    rows = list(iter_rows(month, today, organisation_id=org_id, status=values["statut"]))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    late = sorted(late_by_organisation(today).items(), key=lambda item: -len(item[1]))
    context = {
        "form": form,
        "month": month,
        "month_last_day": month_end(month),
        "organisation": organisation,
        "counts": counts,
        "total": sum(count for _, count in counts),
        "bars": chart_bars(counts),
        "chart_height": 28 * len(counts),
        "page": page,
        "query": query.urlencode(),
        "late": [(org, len(months)) for org, months in late],
        "late_after_days": _late_days(),
    }
    return render(request, "funder/dashboard.html", context)


def _late_days() -> int:
    return int(settings.LATE_AFTER_DAYS)


@agent_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, streamed row by row: memory stays flat, whatever the size."""
    today = timezone.localdate()
    _, values = _filters(request, today)
    month, organisation = values["mois"], values["organisme"]
    rows = iter_values(
        month,
        today,
        organisation_id=organisation.pk if organisation else None,
        status=values["statut"],
    )
    response = StreamingHttpResponse(
        export_chunks(rows, month), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="certificats-{month:%Y-%m}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@agent_required
def organisation_late(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    context = {
        "organisation": organisation,
        "months": late_months(today, organisation),
        "late_after_days": _late_days(),
    }
    return render(request, "funder/late_months.html", context)
