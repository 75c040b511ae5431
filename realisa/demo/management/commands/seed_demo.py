"""Demo data: the funder's agent, two organisations, beneficiaries, an employer and
dossiers over past, current and future months. Idempotent: run it again, get the same."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from realisa.demo.scale import build_scale
from realisa.demo.world import DEMO_PASSWORD, build_demo
from realisa.lib.french import plural


class Command(BaseCommand):
    help = "Crée (ou remet en état) les données de démonstration et affiche les identifiants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="ajoute N dossiers générés (calendriers, heures, statuts) pour les mesures",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            logins = build_demo()
        if options["scale"]:
            created = build_scale(options["scale"])
            self.stdout.write(f"{plural(created, 'dossier généré')} (--scale {options['scale']}).")
        self.stdout.write(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD})\n")
        width = max(len(username) for username, _ in logins)
        self.stdout.write(f"  {'identifiant'.ljust(width)}  rôle")
        for username, description in logins:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        self.stdout.write("")
