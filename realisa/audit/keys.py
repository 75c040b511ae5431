"""The chain's keys: HMAC-SHA256 secrets kept outside the database.

Whoever can write to the database can recompute a plain SHA-256 chain after editing it;
without the key, they cannot recompute an HMAC. ``AUDIT_HMAC_KEY`` (or its ``_FILE``) is
the key new events are made with; ``AUDIT_HMAC_OLD_KEYS`` the earlier ones, still accepted
when verifying. Without ``AUDIT_HMAC_KEY`` (development, demo, tests), the key is derived
from ``SECRET_KEY``, itself outside the database; a system check warns in production.

Each event stores its key's id (``key_id``: the first 8 hex digits of the key's SHA-256),
never the key, so that a rotated key still verifies the events it made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.checks import CheckMessage, Warning
from django.utils.crypto import salted_hmac

DERIVATION_SALT = "realisa.audit.chain"


@dataclass(frozen=True)
class ChainKey:
    id: str
    secret: bytes = b""


class UnknownKey(KeyError):
    """An event names a key that is neither the current one nor a listed old one."""


@lru_cache(maxsize=16)
def _key(secret: bytes) -> ChainKey:
    return ChainKey(hashlib.sha256(secret).hexdigest()[:8], secret)


@lru_cache(maxsize=4)
def _derived(secret_key: str) -> bytes:
    return (
        salted_hmac(DERIVATION_SALT, "key", secret=secret_key, algorithm="sha256")
        .hexdigest()
        .encode()
    )


def derived_key() -> ChainKey:
    """The key of development, demo and tests: derived from ``SECRET_KEY``. Its secret is
    text (hex), so that it can be listed in ``AUDIT_HMAC_OLD_KEYS`` once a key is set."""
    return _key(_derived(settings.SECRET_KEY))


def current_key() -> ChainKey:
    """The key new events are made with."""
    configured = settings.AUDIT_HMAC_KEY
    return _key(configured.encode()) if configured else derived_key()


def keyring() -> dict[str, ChainKey]:
    """Every key that verifies: the current one and the listed old ones, by id."""
    keys = [current_key(), *(_key(old.encode()) for old in settings.AUDIT_HMAC_OLD_KEYS)]
    return {key.id: key for key in keys}


def key_named(key_id: str) -> ChainKey:
    try:
        return keyring()[key_id]
    except KeyError:
        raise UnknownKey(key_id) from None


def missing_key_check(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """In production (DEBUG off, not the demo), the chain's key must be set apart."""
    if settings.DEBUG or settings.DEMO_MODE or settings.AUDIT_HMAC_KEY:
        return []
    return [
        Warning(
            "AUDIT_HMAC_KEY n'est pas défini : la clé du journal est dérivée de SECRET_KEY.",
            hint="Définissez AUDIT_HMAC_KEY (ou AUDIT_HMAC_KEY_FILE) : 32 octets aléatoires "
            "au moins, conservés hors de la base (voir README).",
            id="audit.W001",
        )
    ]
