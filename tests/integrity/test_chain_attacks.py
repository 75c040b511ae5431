"""Someone who can write to the database, but holds neither the chain's key nor the seal,
tries to hide a change to the audit chain; ``verify_audit_chain`` must say where."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from realisa.audit.log import record
from realisa.audit.models import AuditChainHead, AuditEvent
from tests.conftest import World
from tests.integrity.conftest import raw, rehash_from, verification_error


def _events(world: World, count: int) -> list[AuditEvent]:
    return [record(f"step{n}", actor=world.agent, payload={"n": n}) for n in range(count)]


def test_an_edit_rehashed_to_the_end_is_caught_at_the_edited_event(world: World) -> None:
    events = _events(world, 5)
    raw("UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"n": 99}', events[2].pk])
    rehash_from(2)
    error = verification_error()
    assert f"n° {events[2].pk}" in str(error) and error.returncode == 1


def test_an_edit_rewritten_as_an_event_without_key_is_caught(world: World) -> None:
    events = _events(world, 4)
    raw(
        "UPDATE audit_auditevent SET payload = %s, key_id = '' WHERE id >= %s", ["{}", events[1].pk]
    )
    rehash_from(1)
    assert f"n° {events[1].pk}" in str(verification_error())


def test_a_deleted_middle_row_is_caught_even_when_the_rest_is_relinked(world: World) -> None:
    events = _events(world, 5)
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    rehash_from(2)
    error = verification_error()
    assert f"n° {events[3].pk}" in str(error) and error.returncode == 1


def test_the_tail_deleted_with_the_chain_head_is_caught_by_the_checkpoint(world: World) -> None:
    events = _events(world, 5)
    call_command("audit_checkpoint")
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    raw("DELETE FROM audit_auditchainhead")
    error = verification_error()
    assert "Troncature" in str(error) and "antérieure" not in str(error)
    assert error.returncode == 1


def test_the_whole_chain_deleted_with_its_head_is_caught_by_the_checkpoint(world: World) -> None:
    _events(world, 3)
    call_command("audit_checkpoint")
    raw("DELETE FROM audit_auditevent")
    raw("DELETE FROM audit_auditchainhead")
    error = verification_error()
    assert "Troncature" in str(error) and error.returncode == 1


def test_the_tail_deleted_and_the_head_pointed_back_is_caught(world: World) -> None:
    events = _events(world, 5)
    call_command("audit_checkpoint")
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    raw("UPDATE audit_auditchainhead SET last_hash = %s", [events[2].hash])
    error = verification_error()
    assert "Troncature" in str(error) and "tête de chaîne" in str(error)


def test_a_restored_older_backup_is_reported_as_such_not_as_tampering(
    world: World, capsys: Any
) -> None:
    _events(world, 3)
    backup = AuditChainHead.objects.values().get(pk=1)  # the head row, as the backup holds it
    later = _events(world, 4)
    call_command("audit_checkpoint")
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [later[0].pk])  # what the backup lacks
    columns = ", ".join(f"{name} = %s" for name in backup)
    raw(f"UPDATE audit_auditchainhead SET {columns}", list(backup.values()))  # noqa: S608
    error = verification_error()
    assert "sauvegarde antérieure au dernier point de contrôle" in str(error).lower()
    assert "Troncature" not in str(error) and "modifié" not in str(error)
    assert error.returncode == 2
