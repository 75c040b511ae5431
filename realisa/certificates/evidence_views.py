"""The beneficiary's own evidence of their answer (« Valider les heures » / « Contester »).

The full « dossier de preuve » of a version is downloaded from ``documents`` (its view
answers from ``CertificationEvidence.objects.visible_to``); this one lives here because it
starts from the beneficiary's ``BeneficiaryResponse``, a row of this app.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from realisa.certificates.abilities import Party
from realisa.certificates.models import BeneficiaryResponse
from realisa.certificates.month_views import load_month
from realisa.certificates.visible_months import stored_certificate
from realisa.documents.answer_evidence import answer_pdf
from realisa.documents.files import safe_name_part

NOT_YOURS = "Cette preuve n'existe pas ou ne vous est pas accessible."


@login_required
def answer_evidence(
    request: HttpRequest, number: str, year: int, month: int, pk: int
) -> FileResponse:
    """Only the beneficiary who answered gets it; anyone else, a 404."""
    current = load_month(request, number, year, month)
    certificate = stored_certificate(current)
    if current.can.party != Party.BENEFICIARY:
        raise Http404(NOT_YOURS)
    response = get_object_or_404(
        BeneficiaryResponse.objects.select_related("certificate__dossier__organisation"),
        pk=pk,
        certificate=certificate,
        user_id=request.user.pk,
    )
    name = f"preuve-reponse-{safe_name_part(current.dossier.number)}-{certificate.month:%Y-%m}"
    served = FileResponse(
        io.BytesIO(answer_pdf(response)),
        as_attachment=True,
        filename=f"{name}-{pk}.pdf",
        content_type="application/pdf",
    )
    served["X-Content-Type-Options"] = "nosniff"
    served["Cache-Control"] = "private, no-store"
    return served
