"""Checkpoints: signed by the portal's seal, stored outside the chain's table, e-mailed to
the funder on demand; verification compares the chain with the latest one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.audit.models import AuditChainHead, AuditEvent
from realisa.celery import run_command
from realisa.documents.checkpoints import signature_name, stored_checkpoints
from realisa.notifications.models import OutboxEmail
from tests.conftest import World
from tests.integrity.conftest import raw, rehash_from, verification_error


def _events(world: World, count: int) -> list[AuditEvent]:
    return [record(f"step{n}", actor=world.agent) for n in range(count)]


def test_a_checkpoint_is_signed_stored_and_recorded(world: World, capsys: Any) -> None:
    _events(world, 3)
    call_command("audit_checkpoint")
    [stored] = stored_checkpoints()
    assert stored.events == 3 and default_storage.exists(signature_name(stored.name))
    event = AuditEvent.objects.last()
    assert event.action == EventType.CHECKPOINT_WRITTEN and event.payload["file"] == stored.name
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "Chaîne intacte : 4 événements vérifiés." in out and "ses 3 événements concordent" in out


def test_a_checkpoint_of_an_empty_chain_holds(db: None, capsys: Any) -> None:
    call_command("audit_checkpoint")
    call_command("verify_audit_chain")
    assert "ses 0 événement concorde" in capsys.readouterr().out


def test_on_demand_the_checkpoint_goes_to_the_funder(world: World, settings: Any) -> None:
    _events(world, 2)
    call_command("audit_checkpoint", "--email")
    email = OutboxEmail.objects.get(kind="audit_checkpoint")
    assert email.to == [settings.FUNDER_EMAIL]
    assert '"events": 2' in email.body_text and "-----BEGIN CMS-----" in email.body_text


def test_the_daily_task_writes_one(world: World) -> None:
    _events(world, 2)
    run_command("audit_checkpoint")
    assert [s.events for s in stored_checkpoints()] == [2]
    assert not OutboxEmail.objects.exists()


def test_no_checkpoint_is_written_over_a_broken_chain(world: World) -> None:
    events = _events(world, 3)
    raw("UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"x": 1}', events[1].pk])
    with pytest.raises(CommandError, match=f"refusé.*n° {events[1].pk}"):
        call_command("audit_checkpoint")
    with pytest.raises(CommandError):  # the task fails: the worker logs it as an error
        run_command("audit_checkpoint")
    assert stored_checkpoints() == []


def test_an_edited_checkpoint_is_refused(world: World) -> None:
    events = _events(world, 3)
    call_command("audit_checkpoint")
    [stored] = stored_checkpoints()
    with default_storage.open(stored.name) as handle:
        forged = handle.read().replace(events[2].hash.encode(), events[1].hash.encode())
    default_storage.delete(stored.name)
    default_storage.save(stored.name, ContentFile(forged))
    assert "sa signature ne correspond pas" in str(verification_error())


def test_events_rewritten_before_the_checkpoint_count_are_caught(world: World) -> None:
    """Even a rewrite the key would allow (the portal's own code, run by an intruder on the
    server) shows against a checkpoint: the event at its count no longer has its hash."""
    events = _events(world, 4)
    call_command("audit_checkpoint")
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [events[2].pk])
    raw("UPDATE audit_auditchainhead SET last_hash = %s", [events[1].hash])
    for n in range(4):  # written again, with the key, under other contents
        record(f"other{n}", actor=world.agent)
    error = verification_error()
    assert "n'est pas celui du point de contrôle" in str(error) and error.returncode == 1


def test_after_a_confirmed_restore_a_new_checkpoint_is_the_reference(
    world: World, capsys: Any
) -> None:
    _events(world, 2)
    backup = AuditChainHead.objects.values().get(pk=1)
    later = _events(world, 3)
    call_command("audit_checkpoint")
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [later[0].pk])
    columns = ", ".join(f"{name} = %s" for name in backup)
    raw(f"UPDATE audit_auditchainhead SET {columns}", list(backup.values()))  # noqa: S608
    with pytest.raises(CommandError, match="--after-restore"):
        call_command("audit_checkpoint")
    call_command("audit_checkpoint", "--after-restore")
    call_command("verify_audit_chain")
    assert "ses 2 événements concordent" in capsys.readouterr().out


def test_without_a_checkpoint_the_verifier_says_what_it_cannot_see(
    world: World, capsys: Any
) -> None:
    _events(world, 1)
    call_command("verify_audit_chain")
    assert "Aucun point de contrôle" in capsys.readouterr().out


def test_a_relinked_chain_is_refused_before_any_checkpoint(world: World) -> None:
    events = _events(world, 3)
    rehash_from(1)
    assert f"n° {events[1].pk}" in str(verification_error())
