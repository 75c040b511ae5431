"""Certification 2's pages: the window (« Envoyer le code de vérification par email »,
« Continuer »), the code typed back, and the beneficiary's « Valider les heures » /
« Contester ». Thin: the rules live in ``online.py``, ``codes.py`` and ``validation.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from realisa.certificates import codes, online, validation
from realisa.certificates.certification import AlreadyCertified, CertificationError
from realisa.certificates.evidence import certified_text
from realisa.certificates.models import Certificate
from realisa.certificates.month_views import Month, _certificate, _month, _require_member
from realisa.certificates.plan import of_month

CONFLICT = 409
CERTIFIED = (
    "Les heures sont certifiées. Le bénéficiaire est invité par e-mail à les valider ; son "
    "employeur et votre Transitions Pro sont prévenus."
)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Code de vérification",
        regex=r"^\s*\d+\s*$",
        max_length=12,
        error_messages={
            "required": "Saisissez le code reçu par e-mail.",
            "invalid": "Le code ne contient que des chiffres.",
        },
    )


class ContestForm(forms.Form):
    comment = forms.CharField(
        label="Ce qui ne va pas dans ces heures",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Indiquez ce qui ne va pas dans ces heures."},
    )


def _back(month: Month) -> HttpResponse:
    key = month.period.month
    return redirect("certificates:month", month.dossier.number, key.year, key.month)


def _window(
    request: HttpRequest,
    month: Month,
    certificate: Certificate,
    template: str,
    *,
    form: forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "dossier": month.dossier,
        "period": month.period,
        "certificate": certificate,
        "month_name": of_month(month.period.month),
        "certified_text": certified_text(certificate),
        "code": codes.active_code(certificate, request.user),
        "reasons": online.online_reasons(request.user),
        "form": form or CodeForm(),
        "error": error,
        "tab": "certificates",
    }
    return render(request, template, context, status=status)


def _member_certificate(request: HttpRequest, number: str, year: int, month: int) -> Any:
    current = _month(request, number, year, month)
    return current, _require_member(request, current)


@login_required
def online_window(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current, certificate = _member_certificate(request, number, year, month)
    reasons = online.online_reasons(request.user)
    return _window(
        request, current, certificate, "certificates/online.html", status=403 if reasons else 200
    )


@require_POST
@login_required
def online_send(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current, certificate = _member_certificate(request, number, year, month)
    try:
        issued = online.request_code(certificate, actor=request.user, request=request)
    except AlreadyCertified as error:
        messages.info(request, error.message)
        return _back(current)
    except CertificationError as error:
        template = "certificates/online.html"
        return _window(request, current, certificate, template, error=error.message, status=409)
    address = codes.mask_email(issued.record.sent_to)
    messages.success(request, f"Le code de vérification a été envoyé par e-mail à {address}.")
    key = current.period.month
    return redirect("certificates:online", current.dossier.number, key.year, key.month)


@login_required
def online_code(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current, certificate = _member_certificate(request, number, year, month)
    template = "certificates/online_code.html"
    if request.method != "POST":
        forbidden = bool(online.online_reasons(request.user))
        return _window(request, current, certificate, template, status=403 if forbidden else 200)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _window(request, current, certificate, template, form=form, status=400)
    try:
        online.certify_online(
            certificate, form.cleaned_data["code"], actor=request.user, request=request
        )
    except AlreadyCertified as error:
        messages.info(request, error.message)
    except CertificationError as error:
        fresh = Certificate.objects.get(pk=certificate.pk)
        return _window(
            request, current, fresh, template, form=CodeForm(), error=error.message, status=409
        )
    else:
        messages.success(request, CERTIFIED)
    return _back(current)


@login_required
def validate(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    """The beneficiary's page: the month's hours, « Valider les heures » or « Contester »."""
    current = _month(request, number, year, month)
    certificate = _certificate(current)
    if not certificate.is_shared:
        raise Http404("Ce certificat n'est pas encore certifié.")
    if not validation.is_beneficiary(request.user, certificate):
        raise PermissionDenied("Seul le bénéficiaire valide les heures de sa formation.")
    if request.method != "POST":
        return _validation_page(request, current, certificate, ContestForm())
    return _answer(request, current, certificate)


def _answer(request: HttpRequest, current: Month, certificate: Certificate) -> HttpResponse:
    form = ContestForm(request.POST)
    try:
        if request.POST.get("action") == "contest":
            if not form.is_valid():
                return _validation_page(request, current, certificate, form, status=400)
            validation.contest_hours(
                certificate,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                request=request,
            )
            messages.success(
                request,
                "Votre contestation est enregistrée : votre organisme de formation et votre "
                "Transitions Pro sont prévenus.",
            )
        else:
            validation.validate_hours(certificate, actor=request.user, request=request)
            messages.success(
                request,
                "Merci : les heures sont validées. La version définitive complète du "
                "certificat de réalisation est disponible.",
            )
    except AlreadyCertified as error:
        messages.info(request, error.message)
    except CertificationError as error:
        return _validation_page(
            request, current, certificate, ContestForm(), error=error.message, status=CONFLICT
        )
    return _back(current)


def _validation_page(
    request: HttpRequest,
    current: Month,
    certificate: Certificate,
    form: ContestForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "dossier": current.dossier,
        "period": current.period,
        "certificate": certificate,
        "month_name": of_month(current.period.month),
        "awaits": validation.awaits_validation(certificate),
        "response": validation.last_response(certificate),
        "form": form,
        "error": error,
        "tab": "certificates",
    }
    return render(request, "certificates/validate.html", context, status=status)
