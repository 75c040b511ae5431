"""``purge_archives``: what has passed its retention deadline, and, on the funder's
decision, its purge (``funder.purge``, ``funder.retirement``).

Without ``--confirm`` it only lists. With ``--confirm --agent <login>`` (the funder's agent
who decided), in this order: the files past their deadline are deleted, each leaving its
tombstone; the beneficiaries' and employers' accounts whose dossiers are all past are
deactivated; those deactivated so by a run at least 30 days earlier are erased.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from realisa.accounts.models import User
from realisa.choices import Role
from realisa.funder import retirement
from realisa.funder.purge import ExpiredFile, expired_files, purge_files
from realisa.lib.french import plural
from realisa.lib.retention import ERASE_AFTER_DAYS


class Command(BaseCommand):
    help = (
        "Liste les pièces dont la durée de conservation est échue (3 ans après la fin de "
        "l'année du dernier règlement pour les certificats, 6 ans pour les certificats signés "
        "et feuilles d'émargement, 10 ans pour un dossier cofinancé par le FSE+) et les "
        "comptes de bénéficiaires et d'employeurs dont tous les dossiers sont échus. Sans "
        "--confirm, rien n'est supprimé. Avec --confirm --agent <identifiant> (l'agent du "
        "financeur qui a décidé) : les pièces sont supprimées, chacune laissant sa trace "
        "(nature, SHA-256, date, décideur) ; les comptes sont désactivés, puis effacés à un "
        f"passage ultérieur, {ERASE_AFTER_DAYS} jours au moins après leur "
        "désactivation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--confirm", action="store_true", help="purger pour de bon")
        parser.add_argument("--agent", default="", help="l'identifiant de l'agent qui décide")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="le jour auquel comparer les échéances (AAAA-MM-JJ), pour une répétition ; "
            "avec --confirm, jamais après aujourd'hui",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        agent = _agent(options["agent"]) if options["confirm"] else None
        if agent is not None and today > timezone.localdate():
            raise CommandError("--today ne peut dépasser aujourd'hui quand on purge.")
        files = expired_files(today)
        to_deactivate = retirement.to_deactivate(today)
        to_erase = retirement.to_erase(today, timezone.now())
        self._list(files, to_deactivate, to_erase)
        if agent is None:
            self.stdout.write(
                "Simulation : rien n'a été supprimé. Pour purger : "
                "purge_archives --confirm --agent <identifiant de l'agent qui décide>."
            )
            return
        purged = purge_files(files, agent)
        deactivated = retirement.deactivate(to_deactivate, agent)
        erased = retirement.erase(to_erase, agent)
        self.stdout.write(
            f"Fait, sur décision de {agent.username} : {plural(purged, 'pièce purgée')}, "
            f"{plural(deactivated, 'compte désactivé')}, {plural(erased, 'compte effacé')}."
        )

    def _list(self, files: list[ExpiredFile], deactivate: list[User], erase: list[User]) -> None:
        self.stdout.write(f"{plural(len(files), 'pièce échue', 'pièces échues')} :")
        for file in files:
            self.stdout.write(
                f"  {file.dossier} : {file.label} ({file.name}, SHA-256 {file.sha256 or '—'}), "
                f"à conserver jusqu'au {file.kept_until:%d/%m/%Y}"
            )
        self.stdout.write(f"{plural(len(deactivate), 'compte à désactiver')} :")
        for user in deactivate:
            self.stdout.write(f"  {user.username} ({user.get_role_display()})")
        self.stdout.write(f"{plural(len(erase), 'compte à effacer')} :")
        for user in erase:
            self.stdout.write(f"  {user.username} ({user.get_role_display()})")


def _agent(login: str) -> User:
    if not login:
        raise CommandError("--confirm demande --agent <identifiant de l'agent qui décide>.")
    agent = User.objects.filter(username=login, role=Role.AGENT, is_active=True).first()
    if agent is None:
        raise CommandError(f"« {login} » n'est pas le compte actif d'un agent du financeur.")
    return agent
