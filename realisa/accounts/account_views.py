from typing import Any

from axes.utils import reset as reset_axes_lock  # type: ignore[import-untyped]
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from realisa.audit.events import EventType
from realisa.audit.log import record


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("dossiers:list")


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
