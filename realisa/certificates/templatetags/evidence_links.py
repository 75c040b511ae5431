"""The month page's evidence links: the full « dossier de preuve » of each sealed version
for the organisation and the funder (``Abilities.download_evidence``), and the
beneficiary's evidence of their own answers."""

from __future__ import annotations

from typing import Any

from django import template

from realisa.certificates.abilities import Party
from realisa.documents.models import CertificationEvidence

register = template.Library()


@register.inclusion_tag("certificates/_evidence_links.html", takes_context=True)
def evidence_links(context: template.Context) -> dict[str, Any]:
    """``can``: the month's ``Abilities`` for the person; ``certificate``: the month's."""
    can, certificate, user = context["can"], context["certificate"], context["user"]
    full: list[CertificationEvidence] = []
    answers: list[Any] = []
    if certificate is not None and can.download_evidence:
        full = list(
            CertificationEvidence.objects.visible_to(user)
            .filter(certificate=certificate)
            .exclude(file="")
            .select_related("version")
            .order_by("-version__number")
        )
    if certificate is not None and can.party == Party.BENEFICIARY:
        answers = list(certificate.beneficiary_responses.filter(user_id=user.pk))
    return {
        "dossier": context["dossier"],
        "period": context["period"],
        "full": full,
        "answers": answers,
    }
