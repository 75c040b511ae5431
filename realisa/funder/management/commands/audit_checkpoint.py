from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from realisa.funder.integrity import CheckpointRefused, write_verified_checkpoint
from realisa.lib.french import plural


class Command(BaseCommand):
    help = (
        "Vérifie le journal de preuve puis écrit un point de contrôle signé par le cachet du "
        "portail (nombre d'événements, empreinte du dernier, date, clé) dans le stockage "
        "privé (audit-checkpoints/). Refusé si le journal ne se vérifie pas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--email",
            action="store_true",
            help="l'envoie aussi par e-mail au financeur (FUNDER_EMAIL), qui le garde hors du "
            "portail",
        )
        parser.add_argument(
            "--after-restore",
            action="store_true",
            help="après la restauration confirmée d'une sauvegarde antérieure au dernier point "
            "de contrôle : en écrit un nouveau, qui devient la référence",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = write_verified_checkpoint(
                email=options["email"], after_restore=options["after_restore"]
            )
        except CheckpointRefused as refused:
            raise CommandError(refused.message) from refused
        events = plural(checkpoint.events, "événement")
        self.stdout.write(
            f"Point de contrôle écrit : {checkpoint.name} ({events}, "
            f"dernière empreinte {checkpoint.head})."
        )
        if options["email"]:
            self.stdout.write("Il part aussi par e-mail au financeur.")
