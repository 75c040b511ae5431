"""The month page's certification 2 part, read from the month's abilities."""

from __future__ import annotations

from typing import Any

from django import template

from realisa.certificates.abilities import NO_IP_CONSENT, awaits_validation, online_reasons
from realisa.certificates.validation import last_response
from realisa.choices import MonthStatus

register = template.Library()
ANSWERED = (MonthStatus.VALIDATED, MonthStatus.CONTESTED)


@register.inclusion_tag("certificates/_online_section.html", takes_context=True)
def online_certification(context: template.Context) -> dict[str, Any]:
    """``can``: the month's ``Abilities`` for the person; ``actor``: the person."""
    can, certificate, status = context["can"], context["certificate"], context["status"]
    offer = can.upload_scan  # the month awaits this person's certification, either one
    reasons = online_reasons(context["actor"]) if offer else []
    answered = certificate is not None and status in ANSWERED
    return {
        "dossier": context["dossier"],
        "period": context["period"],
        "can": can,
        "offer": offer,
        "reasons": reasons,
        "needs_ip": NO_IP_CONSENT if offer and not reasons and not can.request_code else "",
        "awaits": certificate is not None and awaits_validation(context["facts"]),
        "response": last_response(certificate) if answered and can.see_answer else None,
        "contested": status == MonthStatus.CONTESTED,
    }
