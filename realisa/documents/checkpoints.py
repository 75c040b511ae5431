"""Signed checkpoints of the audit chain, kept outside its table.

A checkpoint is a small JSON document: how many events the chain held, the last one's hash
and id, the key it was made with, and when. It is signed with the portal's seal (a
detached CMS signature, ``.p7s``) and stored in the private storage, under
``audit-checkpoints/<UTC time>-<events>.json``; it can also be e-mailed to the funder. The
database cannot vouch for its own past: a chain cut at its end, together with its head, still
looks whole, but not next to a checkpoint that counted more events.

Anyone can check a checkpoint without the portal:
``openssl cms -verify -binary -inform DER -in X.p7s -content X.json -CAfile ca.pem``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime

from asn1crypto import cms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from realisa.audit.chain import ChainState
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.documents.sealing_keys import SealKeys, seal_keys
from realisa.lib.aio import outside_running_loop

FOLDER = "audit-checkpoints"
KIND = "realisa.audit-checkpoint"
_NAME = re.compile(r"^(\d{8}T\d{12}Z)-(\d+)\.json$")


class BadCheckpoint(Exception):
    """A stored checkpoint that cannot be trusted; the message says why, in French."""


@dataclass(frozen=True)
class Checkpoint:
    events: int
    head: str
    last_event_id: int | None
    key_id: str
    at: datetime
    name: str = ""  # the JSON's name in the storage

    def content(self) -> bytes:
        document = {
            "type": KIND,
            "portal": settings.SITE_URL,
            "events": self.events,
            "head": self.head,
            "last_event_id": self.last_event_id,
            "key_id": self.key_id,
            "at": self.at.isoformat(),
        }
        return json.dumps(document, indent=2, sort_keys=True).encode()

    @property
    def signature_name(self) -> str:
        return signature_name(self.name)


@dataclass(frozen=True)
class StoredCheckpoint:
    """A checkpoint's place in the storage, before it is read: its name says its time and count."""

    name: str
    events: int


def signature_name(name: str) -> str:
    return name.removesuffix(".json") + ".p7s"


def write_checkpoint(state: ChainState) -> Checkpoint:
    """Sign and store a checkpoint of ``state`` (a chain the caller has walked and found
    whole), and record it in the chain."""
    last = state.last
    at = timezone.now()
    checkpoint = Checkpoint(
        events=state.count,
        head=state.head_hash,
        last_event_id=last.pk if last is not None else None,
        key_id=last.key_id if last is not None else "",
        at=at,
    )
    content = checkpoint.content()
    signature = _sign(content, seal_keys())
    name = default_storage.save(
        f"{FOLDER}/{at:%Y%m%dT%H%M%S%f}Z-{checkpoint.events}.json", ContentFile(content)
    )
    default_storage.save(signature_name(name), ContentFile(signature))
    checkpoint = replace(checkpoint, name=name)
    record(
        EventType.CHECKPOINT_WRITTEN,
        payload={
            "events": checkpoint.events,
            "head": checkpoint.head,
            "file": name,
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return checkpoint


def stored_checkpoints() -> list[StoredCheckpoint]:
    """Every checkpoint in the storage, oldest first (by the time in its name)."""
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    found = []
    for filename in sorted(files):
        match = _NAME.match(filename)
        if match:
            found.append(StoredCheckpoint(f"{FOLDER}/{filename}", int(match.group(2))))
    return found


def load_checkpoint(stored: StoredCheckpoint) -> Checkpoint:
    """Read a stored checkpoint and check its seal; ``BadCheckpoint`` when it does not hold."""
    try:
        with default_storage.open(stored.name, "rb") as handle:
            content = handle.read()
        with default_storage.open(signature_name(stored.name), "rb") as handle:
            signature = handle.read()
    except FileNotFoundError as error:
        raise BadCheckpoint(f"Point de contrôle {stored.name} incomplet : {error}.") from error
    _check_signature(stored.name, content, signature)
    checkpoint = _parse(stored.name, content)
    if checkpoint.events != stored.events:
        raise BadCheckpoint(f"Point de contrôle {stored.name} renommé : son contenu diffère.")
    return checkpoint


def _parse(name: str, content: bytes) -> Checkpoint:
    try:
        document = json.loads(content)
        if document["type"] != KIND:
            raise ValueError(document["type"])
        return Checkpoint(
            events=int(document["events"]),
            head=str(document["head"]),
            last_event_id=document["last_event_id"],
            key_id=str(document["key_id"]),
            at=datetime.fromisoformat(document["at"]),
            name=name,
        )
    except (ValueError, KeyError, TypeError) as error:
        raise BadCheckpoint(f"Point de contrôle {name} illisible ({error}).") from error


def signed_copy(checkpoint: Checkpoint) -> bytes:
    """The checkpoint inside its signature (CMS with the content, DER), for the e-mail:
    ``openssl cms -verify -inform PEM -in X.pem -CAfile ca.pem`` prints the JSON back."""
    return _sign(checkpoint.content(), seal_keys(), detached=False)


def _sign(content: bytes, keys: SealKeys, *, detached: bool = True) -> bytes:
    def sign() -> bytes:
        signer = keys.signer
        signed = asyncio.run(signer.async_sign_general_data(content, "sha256", detached=detached))
        return bytes(signed.dump())

    return outside_running_loop(sign)


def _check_signature(name: str, content: bytes, signature: bytes) -> None:
    roots = list(seal_keys().trust_roots)

    def validate() -> tuple[bool, bool]:
        signed_data = cms.ContentInfo.load(signature)["content"]
        context = ValidationContext(trust_roots=roots)
        status = asyncio.run(
            async_validate_detached_cms(content, signed_data, signer_validation_context=context)
        )
        return status.intact and status.valid, status.trusted

    try:
        intact, trusted = outside_running_loop(validate)
    except (ValueError, KeyError, TypeError) as error:
        raise BadCheckpoint(f"Signature du point de contrôle {name} illisible.") from error
    if not intact:
        raise BadCheckpoint(f"Point de contrôle {name} modifié : sa signature ne correspond pas.")
    if not trusted:
        raise BadCheckpoint(
            f"Point de contrôle {name} signé par un certificat qui n'est pas le cachet du portail."
        )
