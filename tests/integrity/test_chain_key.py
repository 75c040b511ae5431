"""The chain's key: events name the key they were made with, so keys can rotate."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from realisa.audit.log import first_broken_event, record
from realisa.audit.models import AuditEvent
from tests.conftest import World
from tests.integrity.conftest import verification_error

OLD_KEY = "ancienne-cle-de-chaine-0123456789abcdef"
NEW_KEY = "nouvelle-cle-de-chaine-fedcba9876543210"


def test_key_rotation_keeps_the_old_events_verifiable(
    world: World, settings: Any, capsys: Any
) -> None:
    settings.AUDIT_HMAC_KEY = OLD_KEY
    before = [record("a", actor=world.agent), record("b", actor=world.agent)]
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_OLD_KEYS = NEW_KEY, [OLD_KEY]
    after = record("c", actor=world.agent)
    assert before[0].key_id == before[1].key_id != after.key_id
    assert first_broken_event() is None
    call_command("verify_audit_chain")
    assert "Chaîne intacte : 3 événements vérifiés." in capsys.readouterr().out


def test_an_event_made_with_a_key_no_longer_listed_is_named(world: World, settings: Any) -> None:
    settings.AUDIT_HMAC_KEY = OLD_KEY
    first = record("a", actor=world.agent)
    settings.AUDIT_HMAC_KEY = NEW_KEY
    record("b", actor=world.agent)
    error = verification_error()
    assert f"n° {first.pk}" in str(error) and "AUDIT_HMAC_OLD_KEYS" in str(error)


def test_the_same_event_under_another_key_does_not_verify(world: World, settings: Any) -> None:
    settings.AUDIT_HMAC_KEY = OLD_KEY
    event = record("a", actor=world.agent)
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_OLD_KEYS = NEW_KEY, [OLD_KEY]
    assert AuditEvent.objects.get().compute_hash() == event.hash
    settings.AUDIT_HMAC_OLD_KEYS = ["une-autre-cle-de-meme-longueur-qui-ne-va-pas"]
    assert first_broken_event() == event
