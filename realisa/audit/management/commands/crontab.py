from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from realisa.celery import crontab_lines


class Command(BaseCommand):
    help = (
        "Affiche les lignes cron des tâches planifiées, pour un portail sans courtier Celery "
        "(avec un courtier, beat suit la même liste)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dossier", default="/srv/realisa", help="le dossier du portail (/srv/realisa)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in crontab_lines(options["dossier"]):
            self.stdout.write(line)
