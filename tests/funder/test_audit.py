"""The agent's audit trail, verify_audit_chain and purge_logs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from realisa.audit.log import first_broken_event, record, record_connection
from realisa.audit.models import AuditEvent, ConnectionEvent
from realisa.funder.payments import PaymentData, record_payment
from tests.conftest import World
from tests.funder.conftest import FEBRUARY, certified


def test_the_trail_of_a_dossier_says_who_what_when_and_ip(
    world: World, agent_client: Client
) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    request.user = world.agent
    paid = PaymentData(date(2026, 2, 1), date(2026, 2, 28), Decimal(900), date(2026, 3, 20), False)
    record_payment(world.dossier, paid, actor=world.agent, request=request)
    month = certified(world.dossier, FEBRUARY)
    record("certificate.certified", actor=world.of_user, obj=month)
    record(
        "certificate.certified",
        actor=world.other_of_user,
        obj=certified(world.other_dossier, FEBRUARY),
    )
    page = agent_client.get(
        reverse("funder:audit_dossier", args=[world.dossier.number])
    ).content.decode()
    assert "Règlement enregistré" in page and "198.51.100.4" in page
    assert world.agent.username in page and world.of_user.username in page
    assert world.other_of_user.username not in page
    month_page = agent_client.get(
        reverse("funder:audit_month", args=[world.dossier.number, 2026, 2])
    ).content.decode()
    assert "Heures certifiées" in month_page and "Règlement enregistré" not in month_page


def test_verify_audit_chain_passes_on_a_whole_chain(world: World, capsys: Any) -> None:
    record("a", actor=world.agent)
    call_command("verify_audit_chain")
    assert "Chaîne intacte" in capsys.readouterr().out


def test_verify_audit_chain_catches_an_edited_row(world: World) -> None:
    events = [record(f"step{n}", actor=world.agent, payload={"n": n}) for n in range(3)]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"n": 7}', events[1].pk]
        )
    with pytest.raises(CommandError, match=f"n° {events[1].pk}") as error:
        call_command("verify_audit_chain")
    assert error.value.returncode == 1


def test_purge_deletes_old_connection_events_only(world: World) -> None:
    old = record_connection("account.login", user=world.of_user)
    recent = record_connection("account.login", user=world.of_user)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_connectionevent SET created_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=400), old.pk],
        )
    call_command("purge_logs")
    assert list(ConnectionEvent.objects.all()) == [recent]


def test_purge_keeps_the_certification_evidence_and_the_chain(world: World) -> None:
    month = certified(world.dossier, FEBRUARY)
    record("certificate.certified", actor=world.of_user, obj=month)
    with connection.cursor() as cursor:  # evidence older than any retention of connections
        cursor.execute(
            "UPDATE audit_connectionevent SET created_at = %s",
            [timezone.now() - timedelta(days=900)],
        )
    before = AuditEvent.objects.count()
    call_command("purge_logs")
    assert AuditEvent.objects.count() == before
    assert not ConnectionEvent.objects.exists()
    assert first_broken_event() is None


def test_evidence_is_kept_three_years_after_the_year_of_the_last_payment(world: World) -> None:
    assert world.dossier.evidence_kept_until() is None
    paid = PaymentData(date(2026, 2, 1), date(2026, 2, 28), Decimal(900), date(2026, 3, 20), False)
    record_payment(world.dossier, paid, actor=world.agent)
    assert world.dossier.evidence_kept_until() == date(2029, 12, 31)
