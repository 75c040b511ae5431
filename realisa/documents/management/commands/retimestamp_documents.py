"""``retimestamp_documents``: a new document time-stamp on the sealed versions whose
newest time-stamp (or, without one, whose seal) expires within ``--margin-days``.

Each is stored as its certificate's next version (``documents.retimestamping``); without
``--confirm`` the command only lists them. It needs ``SIGNING_TSA_URL``. Run it once a
year (docs/operations.md); it is not in the schedule.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from realisa.documents.retimestamping import due_versions, renew
from realisa.documents.seal_ltv import RETIMESTAMP_ERRORS
from realisa.lib.french import plural

DEFAULT_MARGIN_DAYS = 365


class Command(BaseCommand):
    help = (
        "Ajoute un nouvel horodatage du document (PAdES B-LTA) aux certificats scellés dont "
        "le dernier horodatage (ou, sans horodatage, le sceau) expire dans la marge donnée ; "
        "chacun est conservé comme nouvelle version, la précédente reste intacte. Sans "
        "--confirm, la commande ne fait que lister."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--margin-days",
            type=int,
            default=DEFAULT_MARGIN_DAYS,
            help=f"marge avant l'expiration, en jours (défaut : {DEFAULT_MARGIN_DAYS})",
        )
        parser.add_argument("--confirm", action="store_true", help="horodater pour de bon")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["confirm"] and not settings.SIGNING_TSA_URL:
            raise CommandError("SIGNING_TSA_URL est vide : aucune autorité d'horodatage.")
        found = renewed = failed = 0
        for due in due_versions(timedelta(days=options["margin_days"])):
            found += 1
            name = f"{due.version.reference} (version {due.version.number})"
            when = timezone.localtime(due.expires).strftime("%d/%m/%Y")
            if not options["confirm"]:
                self.stdout.write(f"À horodater : {name}, expire le {when}")
                continue
            try:
                new = renew(due)
            except RETIMESTAMP_ERRORS as error:
                failed += 1
                self.stderr.write(f"Échec pour {name} : {type(error).__name__} {error}")
                continue
            renewed += 1
            self.stdout.write(f"Horodaté : {name} → {new.reference} (version {new.number})")
        self.stdout.write(
            f"{plural(found, 'document à horodater', 'documents à horodater')}, "
            f"{plural(renewed, 'horodaté')}, {plural(failed, 'échec')}."
        )
        if failed:
            raise CommandError(f"Horodatage impossible : {plural(failed, 'document')}.")
