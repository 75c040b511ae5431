"""The hashes of the chain, from an event's fields (a model or a migration's historical one).

An event written before the chain was keyed (no ``key_id``) keeps the plain SHA-256 it was
written with. Every later one is an HMAC-SHA256, under the key it names, of the same
canonical JSON plus that key's id. The chain's head carries an HMAC of the last hash, so
that a head pointed back at an earlier event (rows deleted at the end) does not verify.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from realisa.audit.keys import ChainKey

CHAIN_KEYED = "audit.chain_keyed"  # EventType.CHAIN_KEYED, for the migration that writes it


def canonical(event: Any, key_id: str = "") -> bytes:
    content = {
        "prev": event.prev_hash,
        "at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "payload": event.payload,
        "ip": event.ip,
        "user_agent": event.user_agent,
    }
    if key_id:
        content["key"] = key_id
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def unkeyed_hash(event: Any) -> str:
    """The SHA-256 of an event written before the chain was keyed."""
    return hashlib.sha256(canonical(event)).hexdigest()


def keyed_hash(event: Any, key: ChainKey) -> str:
    return hmac.new(key.secret, canonical(event, key.id), hashlib.sha256).hexdigest()


def head_seal(last_hash: str, key: ChainKey) -> str:
    return hmac.new(key.secret, f"head:{last_hash}".encode(), hashlib.sha256).hexdigest()
