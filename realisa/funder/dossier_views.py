"""A dossier seen by the funder: its months, payments (form and CSV import), reopening,
validation in the beneficiary's stead, and audit trail."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from realisa.accounts.decorators import agent_required, current_user
from realisa.accounts.models import User
from realisa.certificates import lifecycle
from realisa.certificates.abilities import abilities_of
from realisa.certificates.answer import deadline_of
from realisa.certificates.lifecycle import TABLE, Event, NotNow
from realisa.certificates.models import Certificate
from realisa.certificates.plan import find_period
from realisa.certificates.queries import month_rows
from realisa.certificates.reopening import check_reopenable, reopen
from realisa.certificates.validation import validate_for_beneficiary
from realisa.dossiers.models import Dossier
from realisa.funder.audit_trail import dossier_events, month_events
from realisa.funder.dossier_life import end_early, interrupt, remove_interruption
from realisa.funder.forms import (
    AgentValidationForm,
    EarlyEndForm,
    ImportForm,
    InterruptionForm,
    PaymentForm,
    ReopenForm,
)
from realisa.funder.journal import entries
from realisa.funder.payment_effects import clip_note, data_of, unsettled, unsettled_warning
from realisa.funder.payment_import import Imported, ImportRefused, import_payments
from realisa.funder.payments import PaymentRefused, clip, payment_summary, record_payment
from realisa.lib.errors import Invalid, Refused
from realisa.lib.french import french_date, of_month, plural


def _dossier(request: HttpRequest, number: str) -> Dossier:
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("organisation", "beneficiary"),
        number=number,
    )


def _month(request: HttpRequest, number: str, year: int, month: int) -> tuple[Dossier, date]:
    dossier = _dossier(request, number)
    try:
        key = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if find_period(dossier, key) is None:
        raise Http404
    return dossier, key


@agent_required
def dossier(request: HttpRequest, number: str) -> HttpResponse:
    """« Suivi du dossier »: months, payments and the form recording one, and the dossier's
    life (an early end, interruptions). Each form posts here with its ``action``."""
    found = _dossier(request, number)
    action = request.POST.get("action", "payment") if request.method == "POST" else ""
    forms: dict[str, Form] = {
        "form": PaymentForm(request.POST if action == "payment" else None),
        "end_form": EarlyEndForm(request.POST if action == "end_early" else None),
        "interruption_form": InterruptionForm(request.POST if action == "interrupt" else None),
    }
    actor = current_user(request)
    try:
        done = _life_or_payment(request, found, action, forms, actor)
    except Refused as error:
        target = forms[FORM_OF_ACTION.get(action, "form")]
        for field, message in (error.errors if isinstance(error, Invalid) else {}).items():
            target.add_error(field if field in target.fields else None, message)
        if not isinstance(error, Invalid) or not error.errors:
            target.add_error(None, error.message)
        status = 409
    else:
        if done:
            messages.success(request, done)
            return redirect("funder:dossier", number=found.number)
        status = 200
    context = {
        "dossier": found,
        "rows": month_rows(found, request.user, timezone.localdate()),
        "payments": found.payments.order_by("period_start", "pk"),
        "interruptions": found.interruptions.all(),
        "reopenable": TABLE[Event.REOPENED].sources,
        **forms,
    }
    return render(request, "funder/dossier.html", context, status=status)


FORM_OF_ACTION = {"payment": "form", "end_early": "end_form", "interrupt": "interruption_form"}


TOLD = "L'organisme, le bénéficiaire et l'employeur sont prévenus."


def _life_or_payment(
    request: HttpRequest, found: Dossier, action: str, forms: dict[str, Form], actor: User
) -> str:
    """Carry out the posted ``action``; the message to show once done, "" when nothing was
    done (a GET, or a form with errors)."""
    if action == "remove_interruption":
        chosen = request.POST.get("interruption", "")
        interruption = get_object_or_404(
            found.interruptions, pk=int(chosen) if chosen.isdigit() else 0
        )
        remove_interruption(interruption, actor=actor, request=request)
        return f"L'interruption est retirée. {TOLD}"
    form = forms.get(FORM_OF_ACTION.get(action, ""))
    if form is None or not form.is_valid():
        return ""
    data = form.cleaned_data
    if action == "end_early":
        end_early(found, on=data["on"], reason=data["reason"], actor=actor, request=request)
        return f"Fin anticipée enregistrée : le dernier jour de formation est le {data['on']:%d/%m/%Y}. {TOLD}"  # noqa: E501
    if action == "interrupt":
        start, end = data["start"], data["end"]
        interrupt(found, start=start, end=end, reason=data["reason"], actor=actor, request=request)
        return f"Interruption enregistrée du {start:%d/%m/%Y} au {end:%d/%m/%Y}. {TOLD}"
    assert isinstance(form, PaymentForm)  # noqa: S101 - the one action left
    try:
        return _record_payment(request, found, form, actor)
    except PaymentRefused as error:
        raise Refused(error.message) from None


def _record_payment(request: HttpRequest, found: Dossier, form: PaymentForm, actor: User) -> str:
    """Record the payment, unless it locks months whose hours are not certified yet and the
    agent has not confirmed it for those very months: then ask (and return "")."""
    typed = form.payment_data()
    months = unsettled(found, clip(found, typed))
    keys = ",".join(month.key for month in months)
    if months and form.cleaned_data["confirmed"] != keys:
        form.ask_confirmation(unsettled_warning(months), keys)
        return ""
    payment = record_payment(found, typed, actor=actor, request=request)
    notes = [payment_summary(found, payment), clip_note(typed, data_of(payment))]
    return " ".join(note for note in notes if note)


SHOWN_WARNINGS = 50


def _tell_imported(request: HttpRequest, imported: Imported) -> None:
    payments = imported.payments
    done = (
        f"{plural(len(payments), 'règlement enregistré ou corrigé', 'règlements enregistrés ou corrigés')}."  # noqa: E501
        if payments
        else "Aucun changement : les règlements du fichier sont déjà enregistrés."
    )
    messages.success(request, done)
    for note in imported.warnings[:SHOWN_WARNINGS]:
        messages.warning(request, f"Ligne {note.line} : {note.text}")
    if len(imported.warnings) > SHOWN_WARNINGS:
        more = plural(len(imported.warnings) - SHOWN_WARNINGS, "autre avertissement")
        messages.warning(request, f"Et {more}.")


@agent_required
def payment_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = import_payments(
                form.cleaned_data["file"], actor=current_user(request), request=request
            )
        except ImportRefused as refused:
            errors = refused.errors
        else:
            _tell_imported(request, imported)
            return redirect("funder:payment_import")
    context = {"form": form, "errors": errors}
    return render(request, "funder/payment_import.html", context, status=409 if errors else 200)


@agent_required
def reopen_month(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    dossier, key = _month(request, number, year, month)
    certificate = get_object_or_404(Certificate, dossier=dossier, month=key)
    form = ReopenForm(request.POST or None)
    refusal = ""
    try:
        check_reopenable(certificate)
    except NotNow as error:
        refusal = error.message
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            reopen(
                certificate,
                actor=current_user(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except Refused as error:  # reopened or paid meanwhile
            refusal = error.message
        else:
            messages.success(
                request, f"Le mois {of_month(key)} est rouvert. L'organisme est prévenu."
            )
            return redirect("funder:dossier", number=dossier.number)
    context = {
        "dossier": dossier,
        "certificate": certificate,
        "month_name": of_month(key),
        "form": form,
        "refusal": refusal,
    }
    return render(request, "funder/reopen.html", context, status=409 if refusal else 200)


def _validation_refusal(request: HttpRequest, certificate: Certificate) -> str:
    """Why the agent cannot validate this month now, in French; "" when they can."""
    try:
        lifecycle.check(certificate, Event.VALIDATED_BY_AGENT)
    except NotNow as error:
        return error.message
    if not abilities_of(current_user(request), certificate).validate_for_beneficiary:
        return "Ce mois, certifié sur papier, n'attend pas de validation du bénéficiaire."
    return ""


@agent_required
def validate_month(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    """« Valider à la place du bénéficiaire »: a month certified online that awaits the
    beneficiary's answer, validated by an agent with a reason."""
    dossier, key = _month(request, number, year, month)
    certificate = get_object_or_404(Certificate, dossier=dossier, month=key)
    form = AgentValidationForm(request.POST or None)
    refusal = _validation_refusal(request, certificate)
    if request.method == "POST" and not refusal and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            validate_for_beneficiary(
                certificate, actor=current_user(request), reason=reason, request=request
            )
        except Invalid as error:  # a reason of blanks only
            form.add_error("reason", error.errors.get("reason", error.message))
        except Refused as error:  # validated, contested or reopened meanwhile
            refusal = error.message
        else:
            messages.success(
                request,
                f"Les heures {of_month(key)} sont validées. L'organisme et le bénéficiaire "
                "sont prévenus.",
            )
            return redirect("certificates:month", dossier.number, key.year, key.month)
    return _validation_page(request, certificate, form, refusal)


def _validation_page(
    request: HttpRequest, certificate: Certificate, form: AgentValidationForm, refusal: str
) -> HttpResponse:
    certified_at = certificate.certified_at
    context = {
        "dossier": certificate.dossier,
        "certificate": certificate,
        "month_name": of_month(certificate.month),
        "deadline": deadline_of(certified_at),
        "certified_on": french_date(timezone.localdate(certified_at)) if certified_at else "",
        "form": form,
        "refusal": refusal,
    }
    status = 409 if refusal else 400 if form.errors else 200
    return render(request, "funder/validate.html", context, status=status)


@agent_required
def audit_dossier(request: HttpRequest, number: str) -> HttpResponse:
    found = _dossier(request, number)
    context = {"dossier": found, "entries": entries(dossier_events(found)), "scope": ""}
    return render(request, "funder/audit.html", context)


@agent_required
def audit_month(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    dossier, key = _month(request, number, year, month)
    certificate = Certificate.objects.filter(dossier=dossier, month=key).first()
    context = {
        "dossier": dossier,
        "entries": entries(month_events(certificate)),
        "scope": of_month(key),
    }
    return render(request, "funder/audit.html", context)
