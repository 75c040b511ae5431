"""« Calendrier prévisionnel »: a dossier's planned calendar month by month, which its
organisation enters from a weekly pattern when the plan is theirs (``planned_calendar``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from realisa.accounts.decorators import current_user
from realisa.certificates.abilities import identity_of, may_edit_plan
from realisa.certificates.calendar_forms import PatternForm
from realisa.certificates.planned_calendar import (
    current_days,
    months_with_hours,
    pattern_of,
    preview_plan,
    save_plan,
    summary,
)
from realisa.dossiers.models import Dossier
from realisa.lib.errors import NotAllowed
from realisa.lib.hours import format_minutes


@login_required
def planned_calendar(request: HttpRequest, number: str) -> HttpResponse:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("beneficiary", "organisation"),
        number=number,
    )
    editable = may_edit_plan(identity_of(current_user(request)), dossier)
    days = current_days(dossier)
    if request.method == "POST" and not editable:
        raise NotAllowed("Le calendrier prévisionnel de ce dossier n'est pas le vôtre.")
    form = PatternForm(
        request.POST or None, dossier=dossier, initial=PatternForm.initial_of(pattern_of(days))
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save":
            plan = save_plan(
                dossier,
                form.pattern(),
                form.exceptions(),
                actor=current_user(request),
                request=request,
            )
            messages.success(
                request,
                f"Le calendrier prévisionnel est enregistré : {format_minutes(plan.total)} "
                f"sur {len(plan.days)} jours.",
            )
            return redirect("certificates:plan", dossier.number)
        preview = preview_plan(dossier, form.pattern(), form.exceptions())
    context = {
        "dossier": dossier,
        "tab": "calendar",
        "editable": editable,
        "form": form,
        "preview": preview,
        "current": summary(days, months_with_hours(dossier), dossier.planned_minutes),
    }
    status = 400 if form.errors else 200
    return render(request, "certificates/planned_calendar.html", context, status=status)
