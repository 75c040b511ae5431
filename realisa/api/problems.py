"""Errors as RFC 9457 problem details (``application/problem+json``), in French.

The API never words a rule itself: a service raises a refusal (``lib.errors``) with the
French message the screens show, and ``refusal_problem`` maps its kind to a status and a
type, once for every endpoint.
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

from realisa.api.serializers import stale_current
from realisa.certificates.abilities import actor_of
from realisa.certificates.certification import CertificationRefused
from realisa.certificates.entry import InvalidEntry, NotAMember, StaleEntry
from realisa.certificates.lifecycle import AlreadyDone, NotNow
from realisa.certificates.online import OnlineRefused
from realisa.certificates.validation import NotTheBeneficiary
from realisa.funder.plan_sync import PlanRefused
from realisa.funder.transmission import TransmissionRefused
from realisa.lib.errors import Conflict, Invalid, NotAllowed, Refused

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:realisa:probleme:"
TITLES = {
    400: "Requête incorrecte",
    401: "Authentification requise",
    403: "Action non autorisée",
    404: "Introuvable",
    405: "Méthode non autorisée",
    409: "Conflit avec l'état actuel",
    413: "Contenu trop volumineux",
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


# The three kinds of refusal (``lib.errors``): each one's status and problem type. The
# API answers 422 where the pages answer 400: a client reads the field errors either way.
KINDS: list[tuple[type[Refused], int, str]] = [
    (NotAllowed, 403, "interdit"),
    (Conflict, 409, "conflit"),
    (Invalid, 422, "donnees-refusees"),
]

# A more precise problem type for some refusals, which clients may branch on; the most
# specific class of an error wins.
TYPES: dict[type[Refused], str] = {
    NotAMember: "membre-requis",
    NotTheBeneficiary: "beneficiaire-requis",
    StaleEntry: "version-perimee",
    InvalidEntry: "heures-refusees",
    AlreadyDone: "deja-fait",
    NotNow: "etat-incompatible",
    CertificationRefused: "certification-impossible",
    OnlineRefused: "certification-en-ligne-refusee",
    TransmissionRefused: "transmission-refusee",
    PlanRefused: "calendrier-refuse",
}


def kind_of(error: Refused) -> tuple[int, str]:
    """The status and the problem type of ``error``'s kind (a bare ``Refused``: 409)."""
    for kind, status, slug in KINDS:
        if isinstance(error, kind):
            return status, slug
    return 409, "conflit"


def refusal_problem(request: HttpRequest, error: Refused) -> HttpResponse:
    """Any refusal of a service, as its problem: once for the whole API."""
    status, slug = kind_of(error)
    slug = next((TYPES[cls] for cls in type(error).__mro__ if cls in TYPES), slug)
    errors = error.errors if isinstance(error, Invalid) else None
    extra = {}
    if isinstance(error, StaleEntry):
        extra["current"] = stale_current(error, actor_of(request.user))
    return problem_response(
        status, slug, error.message or TITLES[status], errors=errors, extra=extra
    )


def on_problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
    return problem_response(
        error.status, error.slug, error.detail, errors=error.errors, extra=error.extra
    )


def on_invalid(request: HttpRequest, error: RequestInvalid) -> HttpResponse:
    return problem_response(
        422,
        "requete-invalide",
        "La requête ne respecte pas le schéma de l'API (voir « errors »).",
        errors=request_errors(error),
    )


def on_unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem_response(
        401,
        "jeton-invalide",
        "Jeton d'API absent, invalide, expiré ou révoqué : "
        "envoyez l'en-tête « Authorization: Bearer <jeton> ».",
    )


def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem_response(404, "introuvable", message_of(error, "Introuvable."))


def on_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return problem_response(403, "interdit", message_of(error, "Action non autorisée."))


def on_bad_value(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
    return problem_response(422, "valeur-refusee", " ".join(error.messages))


def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400:  # ninja could not read the body
        return problem_response(400, "corps-illisible", UNREADABLE)
    return problem_response(error.status_code, "erreur", str(error))


# Every error the API can meet and its handler; ninja picks the most specific class.
HANDLERS: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
    (Refused, refusal_problem),
    (ApiProblem, on_problem),
    (RequestInvalid, on_invalid),
    (AuthenticationError, on_unauthenticated),
    (Http404, on_not_found),
    (PermissionDenied, on_denied),
    (DjangoValidationError, on_bad_value),
    (HttpError, on_http_error),
]


def install(api: NinjaAPI) -> None:
    """Every error the API can meet, as a problem; nothing left for a 500 but real bugs."""
    for error_class, handler in HANDLERS:
        api.add_exception_handler(error_class, handler)
