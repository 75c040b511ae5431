"""Refusals as pages: the one place a ``Refused`` raised while serving a page becomes an
HTTP answer (the API has its own, ``api.problems``, which answers in RFC 9457).

``NotAllowed`` → 403, ``Conflict`` → 409, ``Invalid`` → 400, each with its French
message: a full page, or for htmx the fragment its window swaps in (the hours entry's
dialog shows a 409 in place). A view that shows its form again with what was typed
catches ``Invalid`` itself; nothing else needs to.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from realisa.lib.errors import Conflict, Invalid, NotAllowed, Refused
from realisa.lib.htmx import is_htmx

# Each kind: its status and the title its page shows.
KINDS: list[tuple[type[Refused], int, str]] = [
    (NotAllowed, 403, "Action non autorisée"),
    (Conflict, 409, "Action impossible pour l'instant"),
    (Invalid, 400, "Données refusées"),
]


def status_of(error: Refused) -> tuple[int, str]:
    """The HTTP status and the title of ``error``'s kind (a bare ``Refused``: 409)."""
    for kind, status, title in KINDS:
        if isinstance(error, kind):
            return status, title
    return 409, "Action impossible pour l'instant"


def refusal_response(request: HttpRequest, error: Refused) -> HttpResponse:
    status, title = status_of(error)
    htmx = is_htmx(request)
    template = "_refusal.html" if htmx else "refusal.html"
    context = {"title": title, "message": error.message or title}
    return render(request, template, context, status=status)


class RefusalMiddleware:
    """Turns a ``Refused`` escaping a view into its page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Refused):
            return refusal_response(request, exception)
        return None
