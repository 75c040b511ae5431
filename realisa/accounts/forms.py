from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record


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
    """Django's « mot de passe oublié » form, sending our own e-mail.

    A member who never chose a password (their first link expired) may ask for one too.
    """

    def get_users(self, email: str) -> Iterator[User]:
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.email.casefold() == email.casefold():
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        record(EventType.PASSWORD_RESET_REQUESTED, actor=user, obj=user)  # its e-mail follows
