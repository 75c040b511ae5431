"""The login page: Django's, with the username's length checked before authentication.

Django's ``AuthenticationForm`` sets the username field's ``max_length`` after building
it, so no validator enforces it: a 300-character username went on to django-axes, whose
table of failures holds 255 characters (PostgreSQL refused the row: a 500). Here a
username no account can have is refused next to the field, and the page answers 400, as
the other forms of the portal do for what they refuse; a wrong password stays Django's
answer, the page again with its message (200).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpResponse


class LoginForm(AuthenticationForm):
    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        limit = self.username_field.max_length or 150
        if len(username) > limit:
            raise ValidationError(
                f"L'identifiant compte au plus {limit} caractères.", code="max_length"
            )
        return username


class LoginPage(LoginView):
    form_class = LoginForm

    def form_invalid(self, form: Any) -> HttpResponse:
        refused_field = any(name in form.errors for name in ("username", "password"))
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=400 if refused_field else 200)
