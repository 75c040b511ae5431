"""The entry window (saisie des heures): an htmx dialog over the months tab, or a plain
page without JavaScript. Thin: the rules and the saving live in ``entry.py``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from realisa.certificates.entry import (
    EntryRefused,
    InvalidEntry,
    NotAMember,
    StaleEntry,
    check_member,
    enter_hours,
)
from realisa.certificates.forms import EntryForms
from realisa.certificates.models import Certificate
from realisa.certificates.months import MonthPeriod
from realisa.certificates.plan import (
    MonthPlan,
    find_period,
    month_plan,
    of_month,
    refusal_message,
    status_of,
)
from realisa.certificates.queries import ENTRY_STATUSES
from realisa.dossiers.models import Dossier

CONFLICT = 409


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _month(request: HttpRequest, number: str, year: int, month: int) -> tuple[Dossier, MonthPeriod]:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("organisation", "beneficiary"),
        number=number,
    )
    try:
        period = find_period(dossier, date(year, month, 1))
    except ValueError:
        period = None
    if period is None:
        raise Http404("Ce mois ne fait pas partie de la formation.")
    try:
        check_member(request.user, dossier)
    except NotAMember as error:
        raise PermissionDenied(error.message) from error
    return dossier, period


@login_required
def enter(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    dossier, period = _month(request, number, year, month)
    certificate = Certificate.objects.filter(dossier=dossier, month=period.month).first()
    status = status_of(dossier, period, certificate, timezone.localdate())
    if status not in ENTRY_STATUSES:
        return _refused(request, dossier, period, refusal_message(status, period))
    plan = month_plan(dossier, period)
    if request.method != "POST":
        return _window(request, dossier, EntryForms.shown(plan, certificate), focus="title")
    action = request.POST.get("action", "save")
    if action in {"show_calendar", "load_calendar", "totals"}:
        forms = EntryForms.retyped(request.POST, plan, load_calendar=action == "load_calendar")
        focus = {"show_calendar": "calendar", "load_calendar": "grid"}.get(action, "")
        return _window(
            request, dossier, forms, focus=focus, show_calendar=action == "show_calendar"
        )
    return _save(request, dossier, plan, EntryForms.bound(request.POST, plan))


def _save(
    request: HttpRequest, dossier: Dossier, plan: MonthPlan, forms: EntryForms
) -> HttpResponse:
    user: Any = request.user
    if not (forms.is_valid() and forms.check_rules(ip_consent_required=user.may_certify_online)):
        return _window(request, dossier, forms, focus="errors")
    try:
        result = enter_hours(
            dossier,
            plan.period.month,
            actor=user,
            entry=forms.entry(),
            expected_version=forms.version,
            request=request,
        )
    except EntryRefused as error:
        return _refused(request, dossier, plan.period, error.message)
    except StaleEntry as error:
        current = EntryForms.shown(plan, error.certificate)
        return _window(
            request, dossier, current, focus="errors", stale=error.message, status=CONFLICT
        )
    except InvalidEntry as error:
        forms.add_errors(error.errors)
        return _window(request, dossier, forms, focus="errors")
    messages.success(request, f"Les heures {of_month(plan.period.month)} sont enregistrées.")
    if result.warning:
        messages.warning(request, result.warning)
    # The month's page: its PDF and the steps of the certification come next.
    key = plan.period.month
    page = reverse("certificates:month", args=[dossier.number, key.year, key.month])
    if is_htmx(request):
        return HttpResponseClientRedirect(page)
    return redirect(page)


def _window(
    request: HttpRequest,
    dossier: Dossier,
    forms: EntryForms,
    *,
    focus: str,
    show_calendar: bool = False,
    stale: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    context = {
        "dossier": dossier,
        "plan": forms.plan,
        "period": forms.plan.period,
        "form": forms.form,
        "days": forms.days,
        "day_rows": forms.day_rows(),
        "checkboxes": [forms.form["certifies_entry"], forms.form["accepts_ip_use"]],
        "totals": forms.totals(),
        "planned": sorted(forms.plan.planned.items()),
        "ip_consent_required": user.may_certify_online,
        "show_calendar": show_calendar,
        "stale": stale,
        "focus": focus,
        "tab": "certificates",
    }
    template = "certificates/_entry.html" if is_htmx(request) else "certificates/entry.html"
    return render(request, template, context, status=status)


def _refused(
    request: HttpRequest, dossier: Dossier, period: MonthPeriod, message: str
) -> HttpResponse:
    template = "certificates/_refused.html" if is_htmx(request) else "certificates/refused.html"
    context = {"dossier": dossier, "period": period, "message": message, "tab": "certificates"}
    return render(request, template, context, status=CONFLICT)
