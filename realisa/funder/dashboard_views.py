"""The agents' dashboard: a month's statuses, the late organisations, the filtered list
and its streamed CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from realisa.accounts.decorators import agent_required
from realisa.certificates import batch
from realisa.choices import MonthStatus
from realisa.dossiers.periods import month_end
from realisa.funder.dashboard_glance import delays, progress
from realisa.funder.exports import export_chunks
from realisa.funder.late import late_months, late_organisations
from realisa.funder.list_filters import (
    PER_PAGE,
    LateFilter,
    MonthListFilter,
    organisations_named,
)
from realisa.funder.month_overview import FunderRow, iter_values, month_values, status_counts
from realisa.funder.reminders import digest_line, last_reminder, next_reminder_on
from realisa.lib.htmx import is_htmx
from realisa.notifications.emails import reminder_preview
from realisa.organisations.models import Organisation

LATE_SHOWN = 10  # on the dashboard; « Organismes en retard » lists them all
CHART_WIDTH = 320  # the longest bar, in pixels
BAR_HEIGHT = 28


@dataclass(frozen=True)
class StatusCount:
    """One status of the month: its line in the table and its bar in the chart."""

    status: MonthStatus
    count: int
    width: int  # of the bar, in proportion to the largest count
    y: int  # the bar's top


def default_month(today: date) -> date:
    """The month that closed last: the one whose hours are now expected."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_filters(request: HttpRequest, today: date) -> MonthListFilter:
    return MonthListFilter.for_month(request.GET, default_month(today), today)


def status_rows(counts: list[tuple[MonthStatus, int]]) -> list[StatusCount]:
    """The month's count of each status, with its bar in the chart."""
    largest = max((count for _, count in counts), default=0) or 1
    return [
        StatusCount(status, count, round(CHART_WIDTH * count / largest), index * BAR_HEIGHT)
        for index, (status, count) in enumerate(counts)
    ]


class CountedPaginator(Paginator[Any]):
    """A paginator told its count (when known) rather than asking the database for it."""

    def __init__(self, rows: Any, per_page: int, count: int | None) -> None:
        super().__init__(rows, per_page)
        if count is not None:
            self.__dict__["count"] = count  # the cached property's value, as if computed


def listed(filters: MonthListFilter, statuses: list[StatusCount]) -> int | None:
    """How many rows the filtered list has, when the status counts already say it (no
    search typed): at national scale, counting a month's 30,000 rows again costs more than
    the rest of the list."""
    if filters.is_bound and (not filters.is_valid() or filters.form.cleaned_data.get("q")):
        return None
    chosen = filters.form.cleaned_data.get("statut") if filters.is_bound else None
    return sum(row.count for row in statuses if not chosen or row.status == chosen)


@agent_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = month_filters(request, today)
    month = filters.month
    organisation = filters.form.cleaned_data.get("organisme") if filters.is_valid() else ""
    organisations = organisations_named(organisation) if organisation else None
    statuses = status_rows(status_counts(month, today, organisations))
    late = late_organisations(today)
    rows = CountedPaginator(month_values(filters.qs), PER_PAGE, listed(filters, statuses))
    page = rows.get_page(request.GET.get("page"))
    context = {
        "form": filters.form,
        "month": month,
        "month_last_day": month_end(month),
        "organisation": organisation,
        "statuses": statuses,
        "total": sum(row.count for row in statuses),
        "chart_height": BAR_HEIGHT * len(statuses),
        "page": page,
        "rows": [FunderRow.of(values, MonthStatus(values["status"])) for values in page],
        "progress": progress(month, today),
        "batch": batch.progress(month),
        "late": late[:LATE_SHOWN],
        "late_count": len(late),
        "late_after_days": _late_days(),
        "reminder_interval_days": settings.REMINDER_INTERVAL_DAYS,
    }
    return render(request, "funder/dashboard.html", context)


@agent_required
def delays_panel(request: HttpRequest) -> HttpResponse:
    """« Délai de certification par organisme » of a month: the dashboard reads it after
    its page (htmx), since it reads each of the month's 30,000 rows; alone, it is a page."""
    today = timezone.localdate()
    month = month_filters(request, today).month
    context = {"month": month, "delays": delays(month, today)}
    partial = is_htmx(request)
    return render(request, "funder/_delays.html" if partial else "funder/delays.html", context)


def _late_days() -> int:
    return int(settings.LATE_AFTER_DAYS)


@agent_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, streamed row by row: memory stays flat, whatever the size."""
    today = timezone.localdate()
    filters = month_filters(request, today)
    month = filters.month
    response = StreamingHttpResponse(
        export_chunks(iter_values(filters.qs), month), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="certificats-{month:%Y-%m}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@agent_required
def late_list(request: HttpRequest) -> HttpResponse:
    """« Organismes en retard »: every late organisation, searched, sorted and paged."""
    today = timezone.localdate()
    late = late_organisations(today)
    ids = [row.organisation.pk for row in late]
    filters = LateFilter(request.GET or None, queryset=Organisation.objects.filter(pk__in=ids))
    page = Paginator(filters.order_late(late), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": filters.form,
        "late": list(page),
        "late_count": page.paginator.count,
        "late_after_days": _late_days(),
        "reminder_interval_days": settings.REMINDER_INTERVAL_DAYS,
    }
    return render(request, "funder/late_list.html", context)


@agent_required
def organisation_late(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's late months, its last reminder, and « Relancer » with the e-mail
    it would send."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    months = late_months(today, organisation)
    last = last_reminder(organisation)
    next_on = next_reminder_on(last)
    lines, dossiers = (
        [digest_line(m) for m in months],
        {m.dossier.number: m.dossier for m in months},
    )
    recipients, subject, body = reminder_preview(organisation, lines, dossiers)
    context = {
        "organisation": organisation,
        "months": months,
        "late_after_days": _late_days(),
        "last_reminder": last,
        "next_reminder_on": next_on if next_on and next_on > today else None,
        "reminder_interval_days": settings.REMINDER_INTERVAL_DAYS,
        "preview": {"recipients": recipients, "subject": subject, "body": body},
    }
    return render(request, "funder/late_months.html", context)
