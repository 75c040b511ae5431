"""Certification 2 by API: request the e-mailed code, then certify with the code the person
read in their e-mail and typed into their software. The rules are ``certificates.online``'s."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from realisa.api.endpoints.common import (
    month_output,
    require_member,
    responses,
    user_of,
    visible_month,
)
from realisa.api.endpoints.dossiers import MonthPath, NumberPath
from realisa.api.schemas import CodeIn, CodeSent, MonthOut
from realisa.certificates import online
from realisa.certificates.abilities import online_reasons
from realisa.certificates.models import Certificate
from realisa.certificates.visible_months import Month
from realisa.lib.errors import NotAllowed
from realisa.lib.privacy import mask_email

router = Router(tags=["Certification 2 (100 % dématérialisée)"])


def _may_certify_online(month: Month) -> Certificate:
    """Certification 2's steps: the organisation's, for a person who may use it (403 with
    the reason otherwise, as on the screen)."""
    certificate = require_member(month)
    if online_reasons(month.actor):
        raise NotAllowed(month.can.online_refusal)
    return certificate


@router.post(
    "/dossiers/{number}/months/{month}/online/code",
    response=responses(CodeSent, code=202),
    url_name="online_code",
)
def request_code(
    request: HttpRequest, number: NumberPath, month: MonthPath
) -> Status[dict[str, Any]]:
    """« Envoyer le code de vérification par email »: to the token's user's address."""
    certificate = _may_certify_online(visible_month(request, number, month))
    issued = online.request_code(certificate, actor=user_of(request), request=request)
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
    certificate = _may_certify_online(visible_month(request, number, month))
    online.certify_online(certificate, body.code, actor=user_of(request), request=request)
    return month_output(visible_month(request, number, month))
