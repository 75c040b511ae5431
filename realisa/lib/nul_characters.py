"""A NUL character (U+0000) in what a client sends is refused once, before any view.

PostgreSQL cannot store it in text: psycopg raises ``DataError`` for a query parameter or
a field that holds one, whichever view or filter reads it. No person types one, so it is
refused wherever it comes: the path, the query string, a form's fields and their names,
an uploaded file's name, a JSON body. Pages answer 400 with the French refusal page
(``lib.refusals``); the API answers its own problem (``api.middleware``), with ``MESSAGE``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse

from realisa.lib.errors import Invalid
from realisa.lib.refusals import refusal_response

NUL = "\x00"
MESSAGE = (
    "Un caractère nul (U+0000) a été envoyé : aucun champ ne l'accepte. "
    "Corrigez la saisie et envoyez-la de nouveau."
)


def _any_nul(texts: Iterable[str]) -> bool:
    return any(NUL in text for text in texts)


def _in_json(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return _any_nul(value) or any(_in_json(item) for item in value.values())
    if isinstance(value, list):
        return any(_in_json(item) for item in value)
    return False


def _in_body(request: HttpRequest) -> bool:
    """A JSON body's strings and keys; other bodies are forms, read as ``request.POST``."""
    if request.content_type != "application/json":
        return False
    if b"\\u0000" not in request.body:  # the only way JSON writes a NUL in a string
        return False
    try:
        return _in_json(json.loads(request.body))
    except ValueError:  # not JSON: the view says so
        return False


def _in_pairs(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in name or _any_nul(values) for name, values in pairs)


def _in_form(request: HttpRequest) -> bool:
    """A posted form's fields, their names and the names of its uploaded files."""
    if request.method != "POST":
        return False
    files = ((name, [f.name or "" for f in uploads]) for name, uploads in request.FILES.lists())
    return _in_pairs(request.POST.lists()) or _in_pairs(files)


def has_nul(request: HttpRequest) -> bool:
    """Whether the path, the query string, the form or the JSON body holds a NUL."""
    return (
        NUL in request.path_info
        or _in_pairs(request.GET.lists())
        or _in_body(request)
        or _in_form(request)
    )


class NulCharacterMiddleware:
    """Refuses a request holding a NUL with the 400 refusal page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return refusal_response(request, Invalid(MESSAGE))
        return self.get_response(request)
