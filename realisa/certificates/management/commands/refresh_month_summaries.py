from typing import Any

from django.core.management.base import BaseCommand

from realisa.certificates.month_summary import recount, refresh_all
from realisa.lib.french import plural


class Command(BaseCommand):
    help = (
        "Réécrit la synthèse des mois de formation (statut et date d'ouverture de chaque "
        "mois de chaque dossier) et ses décomptes par mois, que lisent le tableau de bord et "
        "la liste des organismes en retard. Le portail les tient à jour lui-même ; à lancer "
        "seulement après une "
        "modification faite directement dans la base. Peut être relancée sans risque."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_all()
        recount()
        self.stdout.write(f"Synthèse des mois réécrite pour {plural(count, 'dossier')}.")
