"""Certification 2's pages: the window (« Envoyer le code de vérification par email »,
« Continuer »), the code typed back, and the beneficiary's « Valider les heures » /
« Contester ». Thin: the rules live in ``online.py``, ``codes.py`` and ``validation.py``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from realisa.accounts.decorators import current_user
from realisa.certificates import codes, online, validation
from realisa.certificates.abilities import Party, online_reasons
from realisa.certificates.answer import deadline_of
from realisa.certificates.lifecycle import AlreadyDone
from realisa.certificates.month_views import load_month, reloaded
from realisa.certificates.online import OnlineRefused
from realisa.certificates.visible_months import (
    Month,
    organisation_certificate,
    stored_certificate,
)
from realisa.documents.evidence import certified_text
from realisa.lib.errors import Invalid, NotAllowed
from realisa.lib.french import of_month
from realisa.lib.privacy import mask_email
from realisa.lib.refusals import status_of

CERTIFIED = (
    "Les heures sont certifiées. Le bénéficiaire est invité par e-mail à les valider ; son "
    "employeur et votre Transitions Pro sont prévenus."
)
WINDOW = "certificates/online.html"
CODE_PAGE = "certificates/online_code.html"


class CodeForm(forms.Form):
    """The code typed back: ``codes.malformed`` refuses what cannot be a code (« 12 »,
    letters) here, next to the field, before it costs a try; spaces are removed."""

    code = forms.CharField(label="Code de vérification", required=False)

    def clean_code(self) -> str:
        typed = self.cleaned_data["code"]
        problem = codes.malformed(typed)
        if problem is not None:
            raise forms.ValidationError(problem)
        return codes.typed_digits(typed)


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
    template: str,
    *,
    form: forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The window, or the code's page: why certification 2 is not offered, or the text the
    code certifies and the code already sent."""
    certificate = stored_certificate(month)
    reasons = online_reasons(month.actor)
    code = codes.active_code(certificate, current_user(request))
    context = {
        "dossier": month.dossier,
        "period": month.period,
        "certificate": certificate,
        "month_name": of_month(month.period.month),
        "certified_text": certified_text(certificate),
        "code": code,
        "code_length": settings.ONLINE_CODE_LENGTH,
        "code_pattern": f"[0-9]{{{settings.ONLINE_CODE_LENGTH}}}",
        # No code left to type (three wrong tries, expired, none sent): « Demander un
        # nouveau code » is offered right there, to whoever may ask for one.
        "offer_new_code": month.can.request_code
        and (code is None or code.expires_at <= timezone.now()),
        "reasons": reasons,
        "form": form or CodeForm(),
        "error": error,
        "tab": "certificates",
    }
    # The person may not use certification 2: the page says why, as a refusal.
    return render(request, template, context, status=403 if reasons else status)


def _online_month(request: HttpRequest, number: str, year: int, month: int) -> Month:
    """A month of the person's organisation, for certification 2's pages."""
    current = load_month(request, number, year, month)
    organisation_certificate(current)
    return current


def _require_online(month: Month) -> None:
    """Before a step of certification 2: the person may use it (403 otherwise)."""
    if online_reasons(month.actor):
        raise NotAllowed(month.can.online_refusal)


@login_required
def online_window(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    return _window(request, _online_month(request, number, year, month), WINDOW)


@require_POST
@login_required
def online_send(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current = _online_month(request, number, year, month)
    _require_online(current)
    try:
        issued = online.request_code(
            stored_certificate(current), actor=current_user(request), request=request
        )
    except AlreadyDone as error:
        messages.info(request, error.message)
        return _back(current)
    except OnlineRefused as error:  # the window again, with why (a code sent a moment ago…)
        fresh = reloaded(current)
        return _window(request, fresh, WINDOW, error=error.message, status=status_of(error)[0])
    address = mask_email(issued.record.sent_to)
    messages.success(request, f"Le code de vérification a été envoyé par e-mail à {address}.")
    key = current.period.month
    return redirect("certificates:online", current.dossier.number, key.year, key.month)


@login_required
def online_code(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    current = _online_month(request, number, year, month)
    if request.method != "POST":
        return _window(request, current, CODE_PAGE)
    _require_online(current)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _window(request, current, CODE_PAGE, form=form, status=400)
    try:
        online.certify_online(
            stored_certificate(current),
            form.cleaned_data["code"],
            actor=current_user(request),
            request=request,
        )
    except AlreadyDone as error:
        messages.info(request, error.message)
    except OnlineRefused as error:  # the code's page again: a wrong or expired code
        fresh = reloaded(current)
        return _window(request, fresh, CODE_PAGE, error=error.message, status=status_of(error)[0])
    else:
        messages.success(request, CERTIFIED)
    return _back(current)


@login_required
def validate(request: HttpRequest, number: str, year: int, month: int) -> HttpResponse:
    """The beneficiary's page: the month's hours, « Valider les heures » or « Contester »."""
    current = load_month(request, number, year, month)
    if not stored_certificate(current).is_shared:
        raise Http404("Ce certificat n'est pas encore certifié.")
    if current.can.party != Party.BENEFICIARY:
        raise NotAllowed("Seul le bénéficiaire valide les heures de sa formation.")
    if request.method != "POST":
        return _validation_page(request, current, ContestForm())
    return _answer(request, current)


def _answer(request: HttpRequest, current: Month) -> HttpResponse:
    """Validate or contest as the beneficiary; a refusal of the month's state goes on to
    its page (``lib.refusals``), a comment refused shows the form again."""
    form = ContestForm(request.POST)
    contest = request.POST.get("action") == "contest"
    if contest and not form.is_valid():
        return _validation_page(request, current, form, status=400)
    try:
        if contest:
            _contest(request, current, form.cleaned_data["comment"])
        else:
            _validate(request, current)
    except AlreadyDone as error:
        messages.info(request, error.message)
    except Invalid as error:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return _validation_page(request, current, form, status=400)
    return _back(current)


def _contest(request: HttpRequest, current: Month, comment: str) -> None:
    validation.contest_hours(
        stored_certificate(current), actor=current_user(request), comment=comment, request=request
    )
    messages.success(
        request,
        "Votre contestation est enregistrée : votre organisme de formation et votre "
        "Transitions Pro sont prévenus.",
    )


def _validate(request: HttpRequest, current: Month) -> None:
    validation.validate_hours(
        stored_certificate(current), actor=current_user(request), request=request
    )
    messages.success(
        request,
        "Merci : les heures sont validées. La version définitive complète du "
        "certificat de réalisation est disponible.",
    )


def _validation_page(
    request: HttpRequest, current: Month, form: ContestForm, *, status: int = 200
) -> HttpResponse:
    certificate = stored_certificate(current)
    context = {
        "dossier": current.dossier,
        "period": current.period,
        "certificate": certificate,
        "month_name": of_month(current.period.month),
        "awaits": current.can.validate_hours,
        "deadline": deadline_of(certificate.certified_at) if current.can.validate_hours else "",
        "response": validation.last_response(certificate) if current.can.see_answer else None,
        "form": form,
        "tab": "certificates",
    }
    return render(request, "certificates/validate.html", context, status=status)
