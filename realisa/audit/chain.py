"""Walking the chain: every link, every event's HMAC under the key it names, the head.

Rules, in the order they are checked for each event (by ``id``):

- its ``prev_hash`` is the previous event's hash (``GENESIS`` for the first);
- an event without ``key_id`` (written before the chain was keyed) comes before every
  keyed one and carries the plain SHA-256 of its content;
- a keyed event names a key of ``audit.keys.keyring()`` and carries its HMAC;
- the first keyed event after unkeyed ones is « audit.chain_keyed », naming the unkeyed
  chain's last hash and length, which the chain's head then named too (written once by the
  migration that keyed the chain, ``audit/migrations/0003_keyed_chain.py``);
- at the end, the chain's head names the last event, with its seal under that event's key.

The walk stops at the first fault. It also notes the hashes at the positions asked for
(the event counts of the checkpoints), for ``documents.checkpoints`` to compare.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from realisa.audit.hashing import CHAIN_KEYED, head_seal, keyed_hash, unkeyed_hash
from realisa.audit.keys import UnknownKey, key_named
from realisa.audit.models import GENESIS, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class Fault:
    """What does not hold, in French; ``event`` is None when it is the chain's head."""

    message: str
    event: AuditEvent | None = None


@dataclass
class ChainState:
    count: int = 0  # the events walked, all intact unless ``fault`` names one
    last: AuditEvent | None = None
    hashes: dict[int, str] = field(default_factory=dict)  # position (1 = first) → hash
    fault: Fault | None = None

    @property
    def head_hash(self) -> str:
        return self.last.hash if self.last is not None else GENESIS


def walk(positions: Collection[int] = ()) -> ChainState:
    """Check the whole chain; the state reached and its first fault, if any."""
    state, wanted = ChainState(), set(positions)
    first_keyed: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        message = _event_fault(event, state, first_keyed)
        if message:
            state.fault = Fault(message, event)
            return state
        if event.key_id and first_keyed is None:
            first_keyed = event
        state.count += 1
        state.last = event
        if state.count in wanted:
            state.hashes[state.count] = event.hash
    if state.last is not None and first_keyed is None:
        state.fault = Fault(UNKEYED_TAIL, state.last)
    else:
        state.fault = _head_fault(state)
    return state


def where(event: AuditEvent) -> str:
    return f"n° {event.pk} ({event.action}, {event.created_at:%Y-%m-%d %H:%M:%S} UTC)"


def broken(event: AuditEvent) -> str:
    return (
        f"Chaîne rompue à l'événement {where(event)} : il a été modifié, inséré, ou un "
        "événement qui le précède a été supprimé."
    )


UNKEYED_TAIL = (
    "Aucun événement de la chaîne n'est scellé par la clé : la chaîne n'a pas été close par "
    "l'événement « Journal désormais scellé par clé » (migration non appliquée, ou réécrite)."
)


def _event_fault(event: AuditEvent, state: ChainState, first_keyed: AuditEvent | None) -> str:
    if event.prev_hash != state.head_hash:
        return broken(event)
    if not event.key_id:
        if first_keyed is not None:
            return (
                f"L'événement {where(event)} n'est pas scellé par la clé, alors que la chaîne "
                f"l'est depuis l'événement n° {first_keyed.pk} : il a été réécrit."
            )
        return "" if event.hash == unkeyed_hash(event) else broken(event)
    try:
        key = key_named(event.key_id)
    except UnknownKey:
        return (
            f"L'événement {where(event)} est scellé par une clé inconnue (« {event.key_id} ») : "
            "ajoutez-la à AUDIT_HMAC_OLD_KEYS si c'est une ancienne clé du portail ; sinon, "
            "il a été fabriqué."
        )
    if event.hash != keyed_hash(event, key):
        return broken(event)
    if first_keyed is None and state.count and not _closes_unkeyed(event, state):
        return (
            f"L'événement {where(event)} ouvre la chaîne scellée par clé sans reprendre la "
            "tête de la chaîne précédente : des événements ont été insérés ou supprimés, ou "
            "l'avaient été en fin de chaîne avant la mise en place de la clé."
        )
    return ""


def _closes_unkeyed(event: AuditEvent, state: ChainState) -> bool:
    payload = event.payload if isinstance(event.payload, dict) else {}
    return (
        event.action == CHAIN_KEYED
        and payload.get("unkeyed_head") == state.head_hash
        and payload.get("unkeyed_events") == state.count
        and payload.get("head_row") == state.head_hash
    )


def _head_fault(state: ChainState) -> Fault | None:
    head = AuditChainHead.objects.filter(pk=1).first()
    if state.last is None:
        if head is not None and head.last_hash != GENESIS:
            return Fault("La tête de chaîne désigne des événements qui n'existent plus.")
        return None
    if head is None:
        return Fault(
            "La tête de chaîne a été supprimée : des événements ont pu l'être aussi, en fin "
            "de chaîne."
        )
    if head.last_hash != state.last.hash:
        return Fault(
            "Des événements ont été supprimés en fin de chaîne : la tête de chaîne ne "
            f"désigne pas le dernier événement ({where(state.last)})."
        )
    if head.seal != head_seal(head.last_hash, key_named(state.last.key_id)):
        return Fault("La tête de chaîne a été modifiée : son sceau ne correspond pas.")
    return None
