"""``createagent``: the first agent of the funder (and any other), from the server.

The account has no password yet: the agent chooses one from the link of the invitation
e-mail, as every invited account does, and the command prints the same link, for a mail
server not configured yet. No password ever goes through the command line or a terminal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from realisa.accounts.invitations import invited, new_invited_user, password_link
from realisa.accounts.models import User
from realisa.choices import Role


class Command(BaseCommand):
    help = (
        "Crée le compte d'un agent du financeur (le premier compte du portail) : il choisit "
        "son mot de passe par le lien de l'e-mail d'invitation, que la commande affiche aussi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="l'adresse e-mail de l'agent")
        parser.add_argument("--prenom", default="", help="son prénom")
        parser.add_argument("--nom", default="", help="son nom")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"« {email} » n'est pas une adresse e-mail valide.") from error
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"Un compte existe déjà pour {email}.")
        with transaction.atomic():
            user = new_invited_user(
                Role.AGENT, email, first_name=options["prenom"], last_name=options["nom"]
            )
            invited(user, actor=None, source="commande createagent")
        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        self.stdout.write(f"Compte agent créé : identifiant {user.username}.")
        self.stdout.write(
            f"Une invitation part par e-mail à {email} ; le lien pour choisir le mot de passe "
            f"vaut {days} jours :\n  {password_link(user)}"
        )
