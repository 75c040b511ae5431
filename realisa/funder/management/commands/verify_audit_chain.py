from typing import Any

from django.core.management.base import BaseCommand, CommandError

from realisa.funder.integrity import check_chain
from realisa.funder.stored_files import check_files
from realisa.lib.french import plural


class Command(BaseCommand):
    help = (
        "Vérifie le journal de preuve et les fichiers déposés. Chaque événement doit être lié "
        "au précédent et scellé (HMAC) par une clé connue (AUDIT_HMAC_KEY, "
        "AUDIT_HMAC_OLD_KEYS) ; la tête de chaîne doit désigner le dernier et porter son "
        "sceau ; le dernier point de contrôle signé (audit_checkpoint) doit retrouver son "
        "empreinte au rang qu'il compte. Avec moins d'événements que ce point de contrôle : "
        "« sauvegarde antérieure au dernier point de contrôle » (code de sortie 2) seulement si "
        "au moins un événement reste, que tous sont intacts, que la tête de chaîne les scelle "
        "(ce que seul le portail sait faire, une sauvegarde le garde) et qu'ils concordent "
        "avec le dernier point de contrôle qui n'en comptait pas plus ; sinon « troncature » "
        "(code 1). Une suppression en fin de chaîne par quelqu'un qui aurait gardé une copie "
        "ancienne de la tête de chaîne ne se distingue pas d'une sauvegarde : seul le nombre "
        "d'événements perdus est alors établi. Enfin chaque fichier (versions des certificats, "
        "certificats signés, feuilles d'émargement, KBIS et lettres de consentement) est relu "
        "et comparé au SHA-256 relevé à son dépôt ; un fichier purgé à l'échéance de sa "
        "conservation (purge_archives) compte comme purgé, non manquant. Tout défaut sort "
        "avec le code 1."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        chain = check_chain()
        files = check_files()
        for line in chain.lines:
            self.stdout.write(line)
        if not files.faults:
            self.stdout.write(f"Fichiers intacts : {plural(files.count, 'fichier vérifié')}.")
        if files.purged:
            self.stdout.write(
                f"Fichiers purgés à l'échéance de leur conservation : {files.purged} "
                "(sur décision du financeur ; leur trace est gardée)."
            )
        faults = chain.faults + files.faults
        if faults:
            raise CommandError("\n".join(faults), returncode=1)
        if chain.older_backup:
            raise CommandError(chain.older_backup, returncode=2)
