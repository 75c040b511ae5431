from typing import Any

from axes.utils import reset as reset_axes_lock  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from realisa.accounts import ratelimit
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.lib import retention
from realisa.lib.client_ip import client_ip

# « Mot de passe oublié », per hour: enough for a lost e-mail or two, too few to flood a
# mailbox or to try every address of an organisation from one place.
RESETS_PER_ADDRESS = 3
RESETS_PER_IP = 10
RESET_WINDOW_SECONDS = 60 * 60


def privacy(request: HttpRequest) -> HttpResponse:
    """« Données personnelles »: what the portal keeps about beneficiaries and employers,
    why and for how long. Public: it is read before one's first login, and after one's
    account is closed."""
    context = {
        "certificate_years": retention.CERTIFICATE_YEARS,
        "supporting_years": retention.SUPPORTING_YEARS,
        "european_years": retention.EUROPEAN_YEARS,
        "erase_after_days": retention.ERASE_AFTER_DAYS,
        "connection_months": settings.CONNECTION_LOG_RETENTION_DAYS * 12 // 365,
        "funder_email": settings.FUNDER_EMAIL,
    }
    return render(request, "accounts/privacy.html", context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("dossiers:list")


def reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count one « mot de passe oublié » for the address and for the client's IP (both
    counted, known address or not); False past either limit."""
    per_address = ratelimit.within(
        "password-reset:address",
        email.strip().casefold(),
        limit=RESETS_PER_ADDRESS,
        seconds=RESET_WINDOW_SECONDS,
    )
    per_ip = ratelimit.within(
        "password-reset:ip",
        client_ip(request) or "unknown",
        limit=RESETS_PER_IP,
        seconds=RESET_WINDOW_SECONDS,
    )
    return per_address and per_ip


class PasswordResetRequestView(auth_views.PasswordResetView):
    """« Mot de passe oublié »: every valid form gets the same answer, the « vérifiez votre
    messagerie » page, whether the address is known, unknown or past its limit; past the
    limit, no e-mail is sent."""

    def form_valid(self, form: Any) -> HttpResponse:
        if reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChoiceView(auth_views.PasswordResetConfirmView):
    """The link of a « mot de passe oublié » or new-account e-mail: choose a password.

    Choosing it is recorded, and lifts a lockout of that username.
    """

    template_name = "accounts/password_reset_confirm.html"
    reset_url_token = "choisir"  # noqa: S105 (a URL segment, not a secret)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        record(EventType.ACCOUNT_PASSWORD_SET, actor=user, obj=user, request=self.request)
        reset_axes_lock(username=user.get_username())
        return response
