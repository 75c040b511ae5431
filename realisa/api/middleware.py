"""What the API refuses before ninja reads a request, as problems: a body above its limit
(413, from the announced length, before a byte of it is read) and a NUL character
anywhere (400, as the pages refuse it in ``lib.nul_characters``). And what Django answers
for the API without ninja (an address no operation has, a body it cannot parse) becomes a
problem too: under ``/api/`` every refusal is ``application/problem+json``.

The limit: a JSON body up to Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``; a multipart
upload up to ``UPLOAD_MAX_BYTES``, with room for its part headers and other fields.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from realisa.api.problems import CONTENT_TYPE, problem_response
from realisa.lib.nul_characters import MESSAGE, has_nul

PREFIX = "/api/"  # where realisa/urls.py mounts the API
MULTIPART_ROOM = 64 * 1024
TOO_LARGE = (
    "Le corps de la requête dépasse la taille admise : {limit} octets "
    "(un fichier déposé : {upload} octets au plus)."
)
# What Django itself answers, before or beside ninja, said as a problem.
DJANGO_REFUSALS = {
    400: ("requete-illisible", "La requête est mal formée : le portail n'a pas pu la lire."),
    404: ("introuvable", "Aucune opération de l'API n'existe à cette adresse."),
}


def body_limit(request: HttpRequest) -> int | None:
    """The most bytes the API reads for this request (None: no limit)."""
    if request.content_type == "multipart/form-data":
        return int(settings.UPLOAD_MAX_BYTES) + MULTIPART_ROOM
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return None if limit is None else int(limit)


def announced_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # Django reads such a body as empty, too
        return 0


def refusal_of(request: HttpRequest) -> HttpResponse | None:
    """The problem refusing this request before it is read, if any."""
    limit = body_limit(request)
    if limit is not None and announced_length(request) > limit:
        detail = TOO_LARGE.format(limit=limit, upload=settings.UPLOAD_MAX_BYTES)
        return problem_response(413, "corps-trop-volumineux", detail)
    try:
        refused = has_nul(request)
    except (BadRequest, MultiPartParserError, SuspiciousOperation):  # an unreadable form
        return problem_response(400, *DJANGO_REFUSALS[400])
    return problem_response(400, "caractere-nul", MESSAGE) if refused else None


def as_problem(response: HttpResponse) -> HttpResponse:
    """Django's own 400 or 404 page, said as a problem; any other answer as it is."""
    if response.status_code in DJANGO_REFUSALS and response["Content-Type"] != CONTENT_TYPE:
        return problem_response(response.status_code, *DJANGO_REFUSALS[response.status_code])
    return response


class ApiRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        return refusal_of(request) or as_problem(self.get_response(request))
