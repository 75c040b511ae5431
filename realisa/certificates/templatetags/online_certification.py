"""The month page's certification 2 part, computed in one place for its template."""

from __future__ import annotations

from typing import Any

from django import template

from realisa.certificates.online import NO_IP_CONSENT, online_reasons
from realisa.certificates.validation import awaits_validation, is_beneficiary, last_response
from realisa.choices import MonthStatus

register = template.Library()
ANSWERED = (MonthStatus.VALIDATED, MonthStatus.CONTESTED)


@register.inclusion_tag("certificates/_online_section.html", takes_context=True)
def online_certification(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    dossier, certificate, status = context["dossier"], context["certificate"], context["status"]
    member = bool(user.is_of_member and user.organisation_id == dossier.organisation_id)
    beneficiary = certificate is not None and is_beneficiary(user, certificate)
    answered = certificate is not None and status in ANSWERED
    return {
        "dossier": dossier,
        "period": context["period"],
        "certificate": certificate,
        "member": member,
        "offer": member and status == MonthStatus.ENTERED,
        "reasons": online_reasons(user) if member else [],
        "needs_ip": NO_IP_CONSENT if certificate and not certificate.accepts_ip_use else "",
        "awaits": certificate is not None and awaits_validation(certificate),
        "is_beneficiary": beneficiary,
        "response": last_response(certificate)
        if answered and (member or beneficiary or user.is_agent)
        else None,
        "contested": status == MonthStatus.CONTESTED,
    }
