from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from realisa.accounts.decorators import current_user
from realisa.dossiers.models import Dossier
from realisa.dossiers.queries import dossier_page
from realisa.dossiers.search import dossier_search


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    show_organisation = not current_user(request).is_of_member  # an organisation: its own
    dossiers = Dossier.objects.visible_to(request.user).filter(
        dossier_search(query, organisation=show_organisation)
    )
    page = dossier_page(dossiers, request.GET.get("page"), organisation=show_organisation)
    return render(
        request,
        "dossiers/list.html",
        {"page": page, "query": query, "show_organisation": show_organisation},
    )


def _visible_dossier(request: HttpRequest, number: str, *related: str) -> Dossier:
    """The dossier, with the beneficiary and organisation its header shows, and ``related``."""
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related(
            "beneficiary", "organisation", *related
        ),
        number=number,
    )


@login_required
def dossier_detail(request: HttpRequest, number: str) -> HttpResponse:
    dossier = _visible_dossier(request, number, "employer")
    planned_days = dossier.planned_days.all()
    return render(
        request,
        "dossiers/detail.html",
        {"dossier": dossier, "planned_days": planned_days, "tab": "detail"},
    )
