from typing import Any

from django.core.management.base import BaseCommand

from realisa.certificates.answer import close_unanswered_months


class Command(BaseCommand):
    help = (
        "Relance une fois le bénéficiaire d'un mois certifié en ligne qui n'a pas répondu "
        "(après ANSWER_REMINDER_DAYS jours), puis valide « sans réponse du bénéficiaire » "
        "les mois dont le délai (ANSWER_DEADLINE_DAYS jours ouvrés) est passé. Peut être "
        "relancée sans risque : chaque mois n'est relancé et validé qu'une fois."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sweep = close_unanswered_months()
        # 0 and 1 take the singular in French; « mois » is the same in the plural.
        reminders = "relance envoyée" if sweep.reminded < 2 else "relances envoyées"
        validated = "mois validé" if sweep.validated < 2 else "mois validés"
        self.stdout.write(
            f"{sweep.reminded} {reminders}, "
            f"{sweep.validated} {validated} sans réponse du bénéficiaire."
        )
