"""« Mot de passe oublié » with a mail server that accepts connections and never answers:
the answer never waits for it, and an address that has an account costs the request the
same work as one that has none, so the answer's timing does not tell them apart."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.notifications.models import OutboxEmail
from tests.conftest import World, run_background_jobs

WRITE = re.compile(r'^(INSERT INTO|UPDATE|DELETE FROM) "(\w+)"')


def ask(email: str, ip: str) -> tuple[str, list[str]]:
    """The page answered, and each query the request made: the writes by their statement
    and table, the reads as « read ». Each asker has its own IP, as two strangers would."""
    with CaptureQueriesContext(connection) as queries:
        response = Client(REMOTE_ADDR=ip).post(
            reverse("password_reset"), {"email": email}, follow=True
        )
    shapes = []
    for query in queries.captured_queries:
        write = WRITE.match(query["sql"])
        shapes.append(write.group(0) if write else "read")
    return response.text, shapes


@pytest.mark.django_db(transaction=True)
def test_a_known_and_an_unknown_address_do_the_same_work_and_never_reach_the_mail_server(
    world: World, silent_smtp: list[socket.socket], settings: Any
) -> None:
    known_page, known_queries = ask(world.of_user.email, "192.0.2.1")
    unknown_page, unknown_queries = ask("personne@example.org", "192.0.2.2")

    assert "Vérifiez votre messagerie" in known_page
    assert "Vérifiez votre messagerie" in unknown_page
    assert known_queries == unknown_queries
    assert silent_smtp == []  # neither request reached the mail server
    assert not OutboxEmail.objects.exists() and not AuditEvent.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # answers again
    run_background_jobs()
    (message,) = mail.outbox
    assert message.to == [world.of_user.email]
    assert message.subject == "Réalisa — réinitialisation de votre mot de passe"
    assert AuditEvent.objects.filter(action="account.password_reset_requested").count() == 1
