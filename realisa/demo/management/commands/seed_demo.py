"""Demo data: the funder's agent, two organisations, beneficiaries, an employer and
dossiers over past, current and future months. Idempotent: run it again, get the same."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from realisa.demo.scale import build_scale
from realisa.demo.world import DEMO_PASSWORD, build_demo
from realisa.lib.background import run_pending
from realisa.lib.french import plural

# While it seeds, the e-mails the demo's steps write (dozens) wait in this process's queue,
# then are sent to memory by ``run_pending``: their outbox rows are what the demo's mailbox
# shows, and nothing goes to the console (the demo's backend) or to an SMTP server that is
# not there. Django's ``override_settings`` is a plain context manager, not only for tests.
QUIET_MAIL = override_settings(
    BACKGROUND_THREAD=False,
    CELERY_BROKER_URL="",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)


# Its accounts share a published password, and it would mix invented dossiers with real ones.
REFUSED = (
    "seed_demo ne s'exécute qu'en mode démonstration (REALISA_DEMO=1, comme le fait make demo) : "
    "ses comptes partagent un mot de passe publié. Sur une base de mesure ou de test, "
    "ajoutez --i-know-this-is-not-production."
)


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
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="hors du mode démonstration, sur une base de mesure ou de test seulement",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE and not options["i_know_this_is_not_production"]:
            raise CommandError(REFUSED)
        with QUIET_MAIL:
            with transaction.atomic():
                logins = build_demo()
            if options["scale"]:
                created = build_scale(options["scale"])
            run_pending()  # the demo's e-mails, sent now to memory: their rows are the mailbox
        if options["scale"]:
            self.stdout.write(f"{plural(created, 'dossier généré')} (--scale {options['scale']}).")
        self.stdout.write(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD})\n")
        width = max(len(username) for username, _ in logins)
        self.stdout.write(f"  {'identifiant'.ljust(width)}  rôle")
        for username, description in logins:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        if settings.DEMO_MODE:
            self.stdout.write(
                f"\nBoîte mail de démonstration (les e-mails envoyés, leurs codes et leurs liens) :"
                f"\n  {settings.SITE_URL}{reverse('demo:mailbox')}"
            )
        self.stdout.write("")
