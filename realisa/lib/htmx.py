"""Whether a request comes from htmx (it asks for a part of a page, not the whole page)."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
