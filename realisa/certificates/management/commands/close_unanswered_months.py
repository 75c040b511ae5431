from typing import Any

from django.core.management.base import BaseCommand

from realisa.certificates.answer import close_unanswered_months
from realisa.lib.french import plural


class Command(BaseCommand):
    help = (
        "Relance une fois le bénéficiaire d'un mois certifié en ligne qui n'a pas répondu "
        "(après ANSWER_REMINDER_DAYS jours), puis valide « sans réponse du bénéficiaire » "
        "les mois dont le délai (ANSWER_DEADLINE_DAYS jours ouvrés) est passé. Peut être "
        "relancée sans risque : chaque mois n'est relancé et validé qu'une fois."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sweep = close_unanswered_months()
        self.stdout.write(
            f"{plural(sweep.reminded, 'relance envoyée')}, "
            f"{plural(sweep.validated, 'mois validé')} sans réponse du bénéficiaire."
        )
