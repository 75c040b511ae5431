"""Errors as RFC 9457 problem details (``application/problem+json``), in French.

The API never words a rule itself: a service raises its domain error with the French
message the screens show, and ``PROBLEMS`` maps each error class to a status and a type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from realisa.certificates.certification import (
    AlreadyCertified,
    CertificationError,
    CertificationRefused,
)
from realisa.certificates.entry import EntryRefused, InvalidEntry, NotAMember, StaleEntry

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:realisa:probleme:"
TITLES = {
    400: "Requête incorrecte",
    401: "Authentification requise",
    403: "Action non autorisée",
    404: "Introuvable",
    405: "Méthode non autorisée",
    409: "Conflit avec l'état actuel",
    413: "Fichier trop volumineux",
    422: "Données refusées",
    429: "Trop de requêtes",
}


UNREADABLE = (
    "Le corps de la requête est illisible : envoyez du JSON valide "
    "(ou un formulaire multipart pour un fichier)."
)


class ApiProblem(Exception):
    """A refusal the API itself states (a role, a missing object, a bad file)."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        errors: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.slug, self.detail = status, slug, detail
        self.errors, self.extra = errors, extra or {}


def problem_response(
    status: int,
    slug: str,
    detail: str,
    *,
    errors: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"{TYPE_PREFIX}{slug}",
        "title": TITLES.get(status, "Erreur"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def message_of(error: Exception, default: str) -> str:
    message = getattr(error, "message", None) or (error.args[0] if error.args else "")
    return str(message) or default


def request_errors(error: RequestInvalid) -> dict[str, str]:
    """Pydantic's complaints keyed by the field's path (``body.version``)."""
    errors: dict[str, str] = {}
    for item in error.errors:
        key = ".".join(str(part) for part in item.get("loc", ()))
        errors[key or "requete"] = str(item.get("msg", "valeur refusée"))
    return errors


# Domain errors of the services: class → (status, type). The most specific class first.
PROBLEMS: list[tuple[type[Exception], int, str]] = [
    (NotAMember, 403, "membre-requis"),
    (StaleEntry, 409, "version-perimee"),
    (InvalidEntry, 422, "heures-refusees"),
    (EntryRefused, 409, "saisie-impossible"),
    (AlreadyCertified, 409, "deja-certifie"),
    (CertificationRefused, 409, "certification-impossible"),
    (CertificationError, 409, "certification-impossible"),
]


def _domain_handler(status: int, slug: str) -> Callable[..., HttpResponse]:
    def handle(request: HttpRequest, error: Exception) -> HttpResponse:
        errors = getattr(error, "errors", None) if isinstance(error, InvalidEntry) else None
        return problem_response(
            status, slug, message_of(error, TITLES[status]), errors=errors, extra=_extra(error)
        )

    return handle


def _extra(error: Exception) -> dict[str, Any]:
    if isinstance(error, StaleEntry):
        from realisa.api.serializers import stale_current

        return {"current": stale_current(error)}
    return {}


def register(api: NinjaAPI, problems: list[tuple[type[Exception], int, str]]) -> None:
    for error_class, status, slug in problems:
        api.add_exception_handler(error_class, _domain_handler(status, slug))


def install(api: NinjaAPI) -> None:
    """Every error the API can meet, as a problem; nothing left for a 500 but real bugs."""
    register(api, PROBLEMS)

    @api.exception_handler(ApiProblem)
    def on_problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
        return problem_response(
            error.status, error.slug, error.detail, errors=error.errors, extra=error.extra
        )

    @api.exception_handler(RequestInvalid)
    def on_invalid(request: HttpRequest, error: RequestInvalid) -> HttpResponse:
        return problem_response(
            422,
            "requete-invalide",
            "La requête ne respecte pas le schéma de l'API (voir « errors »).",
            errors=request_errors(error),
        )

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return problem_response(
            401,
            "jeton-invalide",
            "Jeton d'API absent, invalide, expiré ou révoqué : "
            "envoyez l'en-tête « Authorization: Bearer <jeton> ».",
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return problem_response(404, "introuvable", message_of(error, "Introuvable."))

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return problem_response(403, "interdit", message_of(error, "Action non autorisée."))

    @api.exception_handler(DjangoValidationError)
    def on_bad_value(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
        return problem_response(422, "valeur-refusee", " ".join(error.messages))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        if error.status_code == 400:  # ninja could not read the body
            return problem_response(400, "corps-illisible", UNREADABLE)
        return problem_response(error.status_code, "erreur", str(error))
