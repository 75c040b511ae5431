"""Is the evidence whole? The audit chain against its key and its latest checkpoint.

The rules (``verify_audit_chain --help`` says them in French):

- an event that is edited, inserted, rewritten without the key, or that follows a deleted
  one, is tampering, whatever the checkpoints say;
- with at least as many events as the latest checkpoint counted, the event at that count
  must carry the checkpoint's head hash;
- with fewer events, either the chain was cut at its end (tampering) or the database is a
  backup restored from before the checkpoint. Both lack the same events, so what decides
  is what only the portal could have written: it is « antérieure » only when at least one
  event remains, every one is intact, the chain's head names the last one with a valid
  seal (an HMAC that nobody can recompute without the key), and the events agree with the
  latest checkpoint that counted no more than they are. Otherwise it is a truncation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from realisa.audit.chain import ChainState, walk
from realisa.audit.models import GENESIS
from realisa.documents.checkpoints import (
    BadCheckpoint,
    Checkpoint,
    StoredCheckpoint,
    load_checkpoint,
    stored_checkpoints,
    write_checkpoint,
)
from realisa.lib.errors import Conflict
from realisa.lib.french import ordinal, plural, plural_form
from realisa.notifications import emails


class CheckpointRefused(Conflict):
    """No checkpoint is written over a chain that does not verify."""


@dataclass
class ChainCheck:
    state: ChainState = field(default_factory=ChainState)
    lines: list[str] = field(default_factory=list)  # what holds
    faults: list[str] = field(default_factory=list)  # tampering
    older_backup: str = ""  # a restored backup that lacks the latest events


def check_chain() -> ChainCheck:
    stored = stored_checkpoints()
    check = ChainCheck(state=walk(positions={s.events for s in stored}))
    state = check.state
    if state.fault is not None and state.fault.event is not None:
        check.faults.append(state.fault.message)
        return check
    try:
        _against_checkpoints(check, stored)
    except BadCheckpoint as error:
        check.faults.append(str(error))
    if not check.faults and not check.older_backup:
        check.lines.insert(0, f"Chaîne intacte : {plural(state.count, 'événement vérifié')}.")
    return check


def _against_checkpoints(check: ChainCheck, stored: list[StoredCheckpoint]) -> None:
    state = check.state
    if not stored:
        if state.fault is not None:
            check.faults.append(state.fault.message)
        check.lines.append(
            "Aucun point de contrôle : des événements supprimés en fin de chaîne avec la tête "
            "de chaîne ne seraient pas vus (écrivez-en un : audit_checkpoint)."
        )
        return
    latest = load_checkpoint(stored[-1])
    if state.count >= latest.events:
        _at_least_as_long(check, latest)
    else:
        _shorter(check, latest, stored)


def _at_least_as_long(check: ChainCheck, latest: Checkpoint) -> None:
    state = check.state
    if _hash_at(state, latest.events) != latest.head:
        check.faults.append(
            f"Le {ordinal(latest.events)} événement n'est pas celui du point de contrôle du "
            f"{_when(latest)} : la chaîne a été réécrite, ou restaurée d'une sauvegarde puis "
            "complétée sans nouveau point de contrôle."
        )
    elif state.fault is not None:
        check.faults.append(state.fault.message)
    else:
        agree = plural_form(latest.events, "concorde", "concordent")
        events = plural(latest.events, "événement")
        check.lines.append(f"Point de contrôle du {_when(latest)} : ses {events} {agree}.")


def _shorter(check: ChainCheck, latest: Checkpoint, stored: list[StoredCheckpoint]) -> None:
    state = check.state
    missing = latest.events - state.count
    truncated = (
        f"Troncature : la base compte {plural(state.count, 'événement')}, le point de contrôle "
        f"du {_when(latest)} en comptait {latest.events} ; {missing} "
        f"{plural_form(missing, 'manque', 'manquent')}."
    )
    if state.fault is not None:
        check.faults.append(f"{truncated} {state.fault.message}")
        return
    if state.count == 0:
        check.faults.append(f"{truncated} Il ne reste aucun événement.")
        return
    witness = _witness(stored, state.count)
    if witness is not None and _hash_at(state, witness.events) != witness.head:
        check.faults.append(
            f"{truncated} Les événements restants ne concordent pas avec le point de contrôle "
            f"du {_when(witness)}."
        )
        return
    check.older_backup = (
        "Sauvegarde antérieure au dernier point de contrôle : la base s'arrête à l'événement "
        f"n° {state.last.pk if state.last else '-'} ({plural(state.count, 'événement')}), le "
        f"point de contrôle du {_when(latest)} en comptait {latest.events} : "
        f"{_lost(missing)}. Les événements restants sont intacts et la tête de chaîne scellée. "
        "Une fois la restauration confirmée, écrivez un point de contrôle : "
        "audit_checkpoint --after-restore."
    )


def _lost(missing: int) -> str:
    """« le suivant a été perdu », « les 3 suivants ont été perdus »."""
    return "le suivant a été perdu" if missing < 2 else f"les {missing} suivants ont été perdus"


def _hash_at(state: ChainState, count: int) -> str | None:
    """The hash of the ``count``-th event (``GENESIS`` before the first)."""
    return state.hashes.get(count) if count else GENESIS


def _witness(stored: list[StoredCheckpoint], count: int) -> Checkpoint | None:
    """The latest checkpoint that counted no more events than the chain now has."""
    earlier = [s for s in stored if s.events <= count]
    return load_checkpoint(earlier[-1]) if earlier else None


def _when(checkpoint: Checkpoint) -> str:
    return timezone.localtime(checkpoint.at).strftime("%d/%m/%Y à %H:%M:%S")


def write_verified_checkpoint(*, email: bool = False, after_restore: bool = False) -> Checkpoint:
    """Verify the chain, then sign and store a checkpoint of it (and e-mail it to the
    funder when asked). Refused over a chain that does not verify; over a restored older
    backup only with ``after_restore``, once someone has confirmed the restoration."""
    check = check_chain()
    if check.faults:
        raise CheckpointRefused("Point de contrôle refusé : " + " ".join(check.faults))
    if check.older_backup and not after_restore:
        raise CheckpointRefused(
            f"Point de contrôle refusé : {check.older_backup} (option --after-restore)"
        )
    with transaction.atomic():
        checkpoint = write_checkpoint(check.state)
        if email:
            emails.audit_checkpoint(checkpoint)
    return checkpoint
