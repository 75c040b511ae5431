"""« Modifier le dossier »: an agent corrects a dossier's identity, dates and planned hours
on the portal's own page, checked and written as a line of the funder's import is
(``dossier_sync``): the same matching of people, the same refusal of a date change over
entered hours, the same audit. The Django admin remains a tool for support."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from realisa.accounts.decorators import agent_required, current_user
from realisa.choices import PlanOwner
from realisa.dossiers.models import Dossier
from realisa.funder.dossier_data import LineResult, Outcome
from realisa.funder.dossier_sync import Sync
from realisa.funder.forms import DossierForm
from realisa.funder.plan_sync import set_plan_owner


def _saved(request: HttpRequest, dossier: Dossier, form: DossierForm) -> LineResult:
    """Write the form through the import's rules; the plan's owner beside them."""
    actor = current_user(request)
    sync = Sync(actor=actor, source="portail")
    with transaction.atomic():
        result = sync.line(form.data_of(dossier), "formulaire")
        if result.outcome == Outcome.REFUSED:
            return result
        sync.record(request)
        owner = PlanOwner(form.cleaned_data["plan_owner"])
        if set_plan_owner(dossier, owner, actor=actor, source="portail", request=request):
            result.outcome = Outcome.UPDATED
    return result


@agent_required
def edit(request: HttpRequest, number: str) -> HttpResponse:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related(
            "organisation", "beneficiary", "employer"
        ),
        number=number,
    )
    form = DossierForm(request.POST or None, initial=DossierForm.initial_of(dossier))
    status = 200
    if request.method == "POST" and form.is_valid():
        result = _saved(request, dossier, form)
        if result.outcome != Outcome.REFUSED:
            done = (
                "Le dossier est mis à jour."
                if result.outcome == Outcome.UPDATED
                else ("Aucune modification : le dossier était déjà ainsi.")
            )
            messages.success(request, done)
            return redirect("funder:dossier", number=dossier.number)
        for error in result.errors:
            form.add_error(None, error)
        status = 409
    context = {"dossier": dossier, "form": form}
    return render(request, "funder/dossier_edit.html", context, status=status)
