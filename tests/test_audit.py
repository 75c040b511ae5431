"""The audit trail: append-only, each event chained to the previous by SHA-256."""

import contextlib

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from realisa.audit.log import first_broken_event, record
from realisa.audit.models import GENESIS, AppendOnly, AuditEvent
from realisa.dossiers.models import Dossier
from tests.conftest import World


def test_an_event_records_who_what_when_and_from_where(world: World) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox")
    request.user = world.of_user
    event = record("hours.entered", obj=world.dossier, payload={"minutes": 420}, request=request)
    event.refresh_from_db()
    assert event.actor == world.of_user
    assert event.actor_username == world.of_user.username
    assert event.object_type == "dossiers.dossier"
    assert event.object_id == str(world.dossier.pk)
    assert event.ip == "203.0.113.7"
    assert event.user_agent == "Firefox"
    assert event.created_at.utcoffset().total_seconds() == 0
    assert event.prev_hash == GENESIS and event.hash == event.compute_hash()


def test_events_are_chained(world: World) -> None:
    first = record("a", actor=world.agent)
    second = record("b", actor=world.agent)
    assert second.prev_hash == first.hash
    assert first_broken_event() is None


def test_events_cannot_be_changed_nor_deleted(world: World) -> None:
    event = record("a", actor=world.agent)
    event.action = "b"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="b")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_edited_row_breaks_the_chain_where_it_was_edited(world: World) -> None:
    events = [record(f"step{n}", actor=world.agent, payload={"n": n}) for n in range(4)]
    _raw("UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"n": 99}', events[2].pk])
    assert first_broken_event() == events[2]


def test_a_deleted_row_breaks_the_chain_after_it(world: World) -> None:
    events = [record(f"step{n}", actor=world.agent) for n in range(4)]
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert first_broken_event() == events[2]


def test_deleting_the_last_rows_is_noticed_too(world: World) -> None:
    events = [record(f"step{n}", actor=world.agent) for n in range(3)]
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert first_broken_event() is not None


def test_an_action_whose_event_cannot_be_written_is_not_committed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(AuditEvent, "save", disk_full)
    with transaction.atomic():
        Dossier.objects.filter(pk=world.dossier.pk).update(training_title="Changé")
        with contextlib.suppress(DatabaseError):  # even a caller that would swallow it
            record("dossier.changed", obj=world.dossier)

    world.dossier.refresh_from_db()
    assert world.dossier.training_title != "Changé"
