"""« Journal »: every event the agent may read, newest first, 50 a page, filtered by
dossier, organisation, person, type and period, and the filtered events as CSV."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from realisa.accounts.decorators import agent_required
from realisa.funder.audit_trail import journal_events
from realisa.funder.journal import csv_chunks, entries
from realisa.funder.journal_filters import JournalFilter

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> JournalFilter:
    return JournalFilter(request.GET or None, queryset=journal_events(request.user))


@agent_required
def journal(request: HttpRequest) -> HttpResponse:
    found = _filtered(request)
    page = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": found.form, "page": page, "entries": entries(page.object_list)}
    return render(request, "funder/journal.html", context)


@agent_required
def journal_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered events as CSV, streamed: memory stays flat, whatever their number."""
    events = _filtered(request).qs.iterator(chunk_size=500)
    response = StreamingHttpResponse(csv_chunks(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
