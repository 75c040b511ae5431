"""The lists of months: a dossier's « Certificats de réalisation », and « Mes certificats »."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from realisa.certificates.abilities import Abilities, abilities, actor_of, facts_of_row
from realisa.certificates.lifecycle import paid_periods
from realisa.certificates.models import Certificate
from realisa.certificates.queries import MonthRow, hours_done, month_rows
from realisa.documents.models import CertificateVersion
from realisa.dossiers.models import Dossier

PAGE_SIZE = 20


@dataclass(frozen=True)
class TabRow:
    """A line of the tab: the month, and what the person may do with it."""

    month: MonthRow
    can: Abilities


@login_required
def dossier_months(request: HttpRequest, number: str) -> HttpResponse:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("beneficiary", "organisation"),
        number=number,
    )
    actor, payments = actor_of(request.user), paid_periods(dossier)
    rows = [
        TabRow(row, abilities(actor, facts_of_row(row, dossier, payments)))
        for row in month_rows(dossier, request.user, timezone.localdate(), payments)
    ]
    context = {
        "dossier": dossier,
        "rows": rows,
        "done": hours_done(dossier, [line.month for line in rows]),
        "enters_hours": any(line.can.enter_hours for line in rows),  # the entry dialog
        "tab": "certificates",
    }
    return render(request, "dossiers/certificates.html", context)


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    """« Mes certificats »: every visible certificate that has a PDF, latest month first."""
    certificates = (
        Certificate.objects.visible_to(request.user)
        .filter(versions__isnull=False)
        .distinct()
        .select_related("dossier__organisation", "dossier__beneficiary")
        .prefetch_related(
            Prefetch("versions", queryset=CertificateVersion.objects.order_by("-number"))
        )
        .order_by("-month", "dossier__number")
    )
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/my_certificates.html", {"page": page})
