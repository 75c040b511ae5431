from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from realisa.certificates.batch import progress
from realisa.certificates.tasks import queue_month
from realisa.lib.french import of_month, plural, plural_form


def parse_month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise CommandError(f"« {text} » n'est pas un mois (AAAA-MM).") from error


class Command(BaseCommand):
    help = "Génère tous les PDF des certificats d'un mois qui n'en ont pas encore (AAAA-MM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", nargs="?", help="AAAA-MM ; par défaut, le mois dernier")
        parser.add_argument(
            "--status",
            action="store_true",
            help="dit où en est le lot du mois (PDF faits sur certificats), sans rien lancer",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            month = parse_month(options["month"])
        else:
            first = timezone.localdate().replace(day=1)
            month = (first - timedelta(days=1)).replace(day=1)
        if options["status"]:
            batch = progress(month)
            made = plural_form(batch.made, "PDF fait", "PDF faits")
            self.stdout.write(
                f"Lot {of_month(month)} : {batch.made} {made} sur "
                f"{plural(batch.certificates, 'certificat')}, {batch.pending} en attente."
            )
            return
        queued = queue_month(month)
        certificates = plural(queued, "certificat")
        self.stdout.write(f"{certificates} {of_month(month)} sans PDF, mis en génération.")
