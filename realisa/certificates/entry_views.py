"""The entry window (saisie des heures): an htmx dialog over the months tab, or a plain
page without JavaScript. Thin: the rules and the saving live in ``entry.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from realisa.accounts.decorators import current_user
from realisa.certificates.abilities import Party, may_certify_online
from realisa.certificates.entry import InvalidEntry, StaleEntry, enter_hours
from realisa.certificates.entry_forms import EntryForms
from realisa.certificates.lifecycle import Event, MonthState, NotNow, refusal
from realisa.certificates.month_views import load_month
from realisa.certificates.plan import MonthPlan, month_plan
from realisa.certificates.visible_months import Month
from realisa.lib.errors import NotAllowed
from realisa.lib.french import of_month
from realisa.lib.htmx import is_htmx
from realisa.lib.refusals import status_of

# The window's buttons that show it again with what was typed, and where focus goes then.
RETYPING = {"show_calendar", "load_calendar", "totals", "add_day"}
FOCUS = {"show_calendar": "calendar", "load_calendar": "grid", "add_day": "grid"}


def _entry_month(request: HttpRequest, number: str, year: int, month: int) -> Month:
    """The month whose hours the person enters: 403 outside its organisation, and the
    lifecycle's own refusal (409) when its status does not let hours change."""
    current = load_month(request, number, year, month)
    if current.can.party != Party.ORGANISATION:
        raise NotAllowed("Seuls les membres de l'organisme de formation saisissent les heures.")
    if not current.can.enter_hours:
        state = MonthState(current.period, current.facts.status, current.facts.paid)
        raise refusal(Event.ENTERED, state) or NotNow("Les heures de ce mois ne changent plus.")
    return current


@login_required
def enter(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current = _entry_month(request, number, year, month)
    plan = month_plan(current.dossier, current.period)
    if request.method != "POST":
        return _window(request, current, EntryForms.shown(plan, current.certificate), focus="title")
    action = request.POST.get("action", "save")
    if action in RETYPING or action.startswith("remove_day:"):
        forms = EntryForms.retyped(request.POST, plan, action=action)
        focus = FOCUS.get(action, "grid" if action.startswith("remove_day:") else "")
        if forms.new_day.errors:
            focus = "new_day"
        return _window(
            request, current, forms, focus=focus, show_calendar=action == "show_calendar"
        )
    return _save(request, current, plan, EntryForms.bound(request.POST, plan))


def _save(request: HttpRequest, current: Month, plan: MonthPlan, forms: EntryForms) -> HttpResponse:
    """Save the hours, or show the form again with what was typed and why; a refusal of the
    month's status goes on to its page (``lib.refusals``)."""
    dossier, ip_consent_required = current.dossier, may_certify_online(current.actor)
    if not (forms.is_valid() and forms.check_rules(ip_consent_required=ip_consent_required)):
        return _window(request, current, forms, focus="errors")
    try:
        result = enter_hours(
            dossier,
            plan.period.month,
            actor=current_user(request),
            entry=forms.entry(),
            expected_version=forms.version,
            request=request,
        )
    except StaleEntry as error:  # the current hours, to check before saving again
        shown = EntryForms.shown(plan, error.certificate)
        return _window(
            request, current, shown, focus="errors", stale=error.message, status=status_of(error)[0]
        )
    except InvalidEntry as error:
        forms.add_errors(error.errors)
        return _window(request, current, forms, focus="errors")
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
    current: Month,
    forms: EntryForms,
    *,
    focus: str,
    show_calendar: bool = False,
    stale: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "dossier": current.dossier,
        "plan": forms.plan,
        "period": forms.plan.period,
        "form": forms.form,
        "days": forms.days,
        "day_rows": forms.day_rows(),
        "checkboxes": [forms.form["certifies_entry"], forms.form["accepts_ip_use"]],
        "zero_hours": forms.form["zero_hours_confirmed"],
        "gap_reason": forms.form["gap_reason"],
        "totals": forms.totals(),
        "comparison": forms.plan.compare(forms.typed_hours()),
        "summary": forms.summary(),
        "new_day": forms.new_day["new_day"],
        "planned": sorted(forms.plan.planned.items()),
        "ip_consent_required": may_certify_online(current.actor),
        "show_calendar": show_calendar,
        "stale": stale,
        "focus": focus,
        "tab": "certificates",
    }
    template = "certificates/_entry.html" if is_htmx(request) else "certificates/entry.html"
    return render(request, template, context, status=status)
