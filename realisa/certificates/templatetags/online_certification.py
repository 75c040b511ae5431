"""The month page's certification 2 part, read from the month's abilities."""

from __future__ import annotations

from typing import Any

from django import template

from realisa.certificates.abilities import NO_IP_CONSENT, awaits_validation, online_reasons
from realisa.certificates.answer import deadline_of
from realisa.certificates.validation import last_response
from realisa.choices import VALIDATED_STATUS_TEXT, MonthStatus

register = template.Library()
ANSWERED = (MonthStatus.VALIDATED, MonthStatus.CONTESTED)


@register.inclusion_tag("certificates/_online_section.html", takes_context=True)
def online_certification(context: template.Context) -> dict[str, Any]:
    """``can``: the month's ``Abilities`` for the person; ``actor``: the person."""
    can, certificate, status = context["can"], context["certificate"], context["status"]
    offer = can.upload_scan  # the month awaits this person's certification, either one
    reasons = online_reasons(context["actor"]) if offer else []
    answered = certificate is not None and status in ANSWERED
    awaits = certificate is not None and awaits_validation(context["facts"])
    certified_at = certificate.certified_at if awaits else None
    return {
        "dossier": context["dossier"],
        "period": context["period"],
        "can": can,
        "offer": offer,
        "reasons": reasons,
        "needs_ip": NO_IP_CONSENT if offer and not reasons and not can.request_code else "",
        "awaits": awaits,
        "deadline": deadline_of(certified_at),
        "validated_instead": _validated_instead(certificate),
        "funder_name": context.get("funder_name", ""),
        "response": last_response(certificate) if answered and can.see_answer else None,
        "contested": status == MonthStatus.CONTESTED,
    }


def _validated_instead(certificate: Any) -> Any:
    """A month validated without the beneficiary's answer (past the deadline, or by an
    agent): its certificate, which says how; None otherwise."""
    if certificate is None or certificate.validation_kind not in VALIDATED_STATUS_TEXT:
        return None
    return certificate
