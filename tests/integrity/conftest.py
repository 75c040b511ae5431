"""Fixtures of the integrity tests: the portal's seal in a folder of each test, and the
attacker's tools (raw SQL, the chain's hash as it was before it was keyed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from realisa.audit.hashing import unkeyed_hash  # what anyone computes without the key
from realisa.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def _checkpoints_sealed_here(own_seal: Path) -> None:
    """Checkpoints are signed by a seal made for the test."""


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def rehash_from(position: int) -> None:
    """Re-link every event from ``position`` (0-based) on, as someone with write access to
    the database but not the key would, and point the chain's head at the new last hash."""
    events = list(AuditEvent.objects.order_by("id"))
    previous = events[position - 1].hash if position else "0" * 64
    for event in events[position:]:
        event.prev_hash = previous
        event.hash = unkeyed_hash(event)
        raw(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [event.prev_hash, event.hash, event.pk],
        )
        previous = event.hash
    raw("UPDATE audit_auditchainhead SET last_hash = %s", [previous])


def verification_error() -> CommandError:
    """What ``verify_audit_chain`` refuses with (it must refuse)."""
    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")
    return error.value
