from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from realisa.accounts.models import User
from realisa.accounts.tasks import send_password_reset
from realisa.lib.background import run_later


class MemberForm(forms.ModelForm[User]):
    """A new user of the organisation, as the admin types it."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "can_certify"]
        labels = {
            "username": "Identifiant",
            "first_name": "Prénom",
            "last_name": "Nom",
            "email": "Adresse e-mail",
            "can_certify": "Certification des certificats de réalisation",
        }
        help_texts = {
            "username": "Lettres, chiffres et . @ + - _ ; la personne s'en sert pour se connecter.",
            "email": "Le lien pour choisir le mot de passe est envoyé à cette adresse.",
            "can_certify": "Peut certifier les heures en 100 % dématérialisé (certification 2).",
        }
        error_messages = {"username": {"unique": "Cet identifiant est déjà pris."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True


class ResetForm(PasswordResetForm):
    """Django's « mot de passe oublié » form: it only asks for ``send_password_reset`` to run
    after the response, which looks the address up and records the request, whose e-mail
    follows. An address with an account and one without cost the request the same work,
    so the answer's timing does not tell them apart.
    """

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django's view passes its mail options; the e-mail is emails.password_reset.
        run_later(send_password_reset, self.cleaned_data["email"])
