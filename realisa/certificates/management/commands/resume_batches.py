from typing import Any

from django.core.management.base import BaseCommand

from realisa.certificates.batch_certification import resume_batches
from realisa.lib.french import plural


class Command(BaseCommand):
    help = (
        "Reprend les certifications en lot dont le code est vérifié depuis plus de cinq "
        "minutes et dont des mois attendent encore (une tâche perdue avec son processus ou "
        "sa file) : chaque mois n'est certifié qu'une fois. Peut être relancée sans risque."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        resumed = resume_batches()
        self.stdout.write(f"{plural(resumed, 'lot repris', 'lots repris')}.")
