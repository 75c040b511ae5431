"""Certification 2 by API: request the e-mailed code, then certify with the code the person
read in their e-mail and typed into their software. The rules are ``certificates.online``'s."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from realisa.api.endpoints.common import require_member, responses, user_of, visible_month
from realisa.api.endpoints.dossiers import MonthPath, NumberPath
from realisa.api.problems import ApiProblem
from realisa.api.schemas import CodeIn, CodeSent, MonthOut
from realisa.certificates import online
from realisa.certificates.online import OnlineRefused
from realisa.lib.privacy import mask_email

router = Router(tags=["Certification 2 (100 % dématérialisée)"])


def _refused(error: OnlineRefused, actor: Any) -> ApiProblem:
    """Not allowed to certify online (role, box, organisation, suspension): 403; a code or
    a month that does not fit: 422. The message is the service's, as on the screen."""
    status = 403 if online.online_reasons(actor) else 422
    return ApiProblem(status, "certification-en-ligne-refusee", error.message)


@router.post(
    "/dossiers/{number}/months/{month}/online/code",
    response=responses(CodeSent, code=202),
    url_name="online_code",
)
def request_code(
    request: HttpRequest, number: NumberPath, month: MonthPath
) -> Status[dict[str, Any]]:
    """« Envoyer le code de vérification par email »: to the token's user's address."""
    actor = user_of(request)
    certificate = require_member(request, visible_month(request, number, month))
    try:
        issued = online.request_code(certificate, actor=actor, request=request)
    except OnlineRefused as error:
        raise _refused(error, actor) from error
    expires = timezone.localtime(issued.record.expires_at)
    to = mask_email(issued.record.sent_to)
    return Status(
        202,
        {
            "detail": f"Un code de vérification a été envoyé à {to} ; "
            f"il est valable jusqu'à {expires:%H:%M}.",
            "expires_at": issued.record.expires_at,
        },
    )


@router.post(
    "/dossiers/{number}/months/{month}/online/certify",
    response=responses(MonthOut),
    url_name="online_certify",
)
def certify_online(
    request: HttpRequest, body: CodeIn, number: NumberPath, month: MonthPath
) -> dict[str, Any]:
    """The code typed back: the hours are certified, the PDF sealed, the beneficiary asked
    to validate them."""
    actor = user_of(request)
    certificate = require_member(request, visible_month(request, number, month))
    try:
        online.certify_online(certificate, body.code, actor=actor, request=request)
    except OnlineRefused as error:
        raise _refused(error, actor) from error
    return visible_month(request, number, month).out()
