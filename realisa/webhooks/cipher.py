"""The webhooks' secrets, encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256).

A secret must be readable to sign each delivery, so it cannot be hashed; it is stored
encrypted, and a copy of the database alone does not let anyone forge a delivery.

The key comes from ``WEBHOOK_SECRET_KEY`` (or ``WEBHOOK_SECRET_KEY_FILE``): one or more
strings separated by commas, long and random; the first encrypts, every one decrypts (to
change the key, put the new one first). Without it, in development and in the demo, the key
is derived from ``SECRET_KEY``; that key also decrypts always, so the secrets written before
``WEBHOOK_SECRET_KEY`` was set stay readable. A deployment check warns when it is missing
in production (``checks.py``).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"realisa.webhooks.secret"


class Unreadable(ValueError):
    """The stored secret does not decrypt with the configured keys."""


def _fernet(passphrase: str) -> Fernet:
    """A Fernet key derived from any long random string (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE)
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(passphrase.encode())))


def configured_keys() -> list[str]:
    return [k.strip() for k in settings.WEBHOOK_SECRET_KEY.split(",") if k.strip()]


def _keys() -> MultiFernet:
    return MultiFernet([_fernet(k) for k in [*configured_keys(), settings.SECRET_KEY]])


def encrypt(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise Unreadable(
            "Le secret du webhook ne se déchiffre avec aucune clé de WEBHOOK_SECRET_KEY."
        ) from error
