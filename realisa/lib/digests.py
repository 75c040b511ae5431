"""The SHA-256 of a file, as stored (read back through the storage) or as uploaded.

Each stored file (certificate versions, signed scans, attendance sheets, certifier
documents) keeps the SHA-256 it had when stored; ``verify_audit_chain`` reads every one
again and compares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def upload_sha256(upload: File[Any]) -> str:
    """The SHA-256 of a file about to be stored (``File.chunks`` reads it from the start)."""
    return sha256_of(upload.chunks())


def stored_sha256(name: str, storage: Storage | None = None) -> str | None:
    """The SHA-256 of the stored file ``name``, or None when the storage has no such file."""
    storage = storage or default_storage
    if not name or not storage.exists(name):
        return None
    try:
        with storage.open(name, "rb") as handle:
            return sha256_of(iter(lambda: handle.read(File.DEFAULT_CHUNK_SIZE), b""))
    except FileNotFoundError:
        return None
