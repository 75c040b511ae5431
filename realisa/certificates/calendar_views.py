"""« Calendrier prévisionnel »: a dossier's planned calendar month by month, which its
organisation enters when the plan is theirs (``planned_calendar``): from a weekly pattern,
or from its planning tool's iCalendar export, each previewed before it is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from realisa.accounts.decorators import current_user
from realisa.certificates.abilities import identity_of, may_edit_plan
from realisa.certificates.calendar_forms import IcsForm, PatternForm
from realisa.certificates.planned_calendar import (
    current_days,
    months_with_hours,
    pattern_of,
    pattern_plan,
    preview_plan,
    save_plan,
    sign_days,
    summary,
    unsign_days,
)
from realisa.dossiers.models import Dossier
from realisa.dossiers.planning import DayPlan
from realisa.lib.errors import NotAllowed
from realisa.lib.hours import format_minutes


@login_required
def planned_calendar(request: HttpRequest, number: str) -> HttpResponse:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("beneficiary", "organisation"),
        number=number,
    )
    editable = may_edit_plan(identity_of(current_user(request)), dossier)
    if request.method == "POST" and not editable:
        raise NotAllowed("Le calendrier prévisionnel de ce dossier n'est pas le vôtre.")
    action = request.POST.get("action", "")
    days = current_days(dossier)
    context: dict[str, Any] = {
        "dossier": dossier,
        "tab": "calendar",
        "editable": editable,
        "current": summary(days, months_with_hours(dossier), dossier.planned_minutes),
        "form": PatternForm(
            request.POST if action in ("preview", "save") else None,
            dossier=dossier,
            initial=PatternForm.initial_of(pattern_of(days)),
        ),
        "ics_form": IcsForm(
            request.POST if action == "ics_preview" else None,
            request.FILES if action == "ics_preview" else None,
            dossier=dossier,
        ),
    }
    new = _new_days(request, action, context)
    if new is not None:
        source = "fichier .ics" if action == "ics_save" else "semaine type"
        plan = save_plan(dossier, new, source=source, actor=current_user(request), request=request)
        messages.success(
            request,
            f"Le calendrier prévisionnel est enregistré : {format_minutes(plan.total)} "
            f"sur {len(plan.days)} jours.",
        )
        return redirect("certificates:plan", dossier.number)
    status = 400 if context["form"].errors or context["ics_form"].errors else 200
    return render(request, "certificates/planned_calendar.html", context, status=status)


def _new_days(
    request: HttpRequest, action: str, context: dict[str, Any]
) -> dict[date, DayPlan] | None:
    """The days to save now, or None: a preview (put in ``context``), or a form to correct."""
    dossier, form, ics_form = context["dossier"], context["form"], context["ics_form"]
    if action in ("preview", "save") and form.is_valid():
        new = pattern_plan(dossier, form.pattern(), form.exceptions())
        if action == "save":
            return new
        context["preview"] = preview_plan(dossier, new)
    elif action == "ics_preview" and ics_form.is_valid():
        reading = ics_form.cleaned_data["file"]
        context["ics_preview"] = preview_plan(dossier, reading.days)
        context["ics_skipped"] = reading.skipped
        context["ics_token"] = sign_days(reading.days)
    elif action == "ics_save":
        try:
            return unsign_days(request.POST.get("jours", ""))
        except signing.BadSignature:
            messages.error(request, "L'aperçu a expiré : déposez le fichier de nouveau.")
    return None
