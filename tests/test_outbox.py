"""The outbox: an e-mail server that is down delays notifications, never loses one."""

from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import transaction
from django.utils import timezone

from realisa.notifications.models import OutboxEmail
from realisa.notifications.outbox import backoff, deliver, enqueue, send_due
from tests.conftest import Inbox, run_background_jobs


@pytest.mark.django_db(transaction=True)
def test_a_server_down_delays_the_email_and_it_arrives_once_when_back(
    smtp_server: tuple[Controller, Inbox],
) -> None:
    controller, inbox = smtp_server
    with transaction.atomic():  # the change and its e-mail commit together
        enqueue("test", ["julie@example.org"], "Votre certificat", "Bonjour", "<p>Bonjour</p>")
    run_background_jobs()  # the first try, after the response
    email = OutboxEmail.objects.get()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 1 and "Connection refused" in email.last_error
    assert send_due() == 0  # not due yet: the backoff holds

    controller.start()
    later = timezone.now() + backoff(1)
    assert send_due(now=later) == 1
    assert send_due(now=later + timedelta(hours=2)) == 0
    assert len(inbox.received) == 1
    received = message_from_bytes(inbox.received[0].as_bytes(), policy=policy.default)
    assert received["To"] == "julie@example.org"
    assert received["Subject"] == "Votre certificat"
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("test", ["julie@example.org"], "Votre certificat", "Bonjour")
        raise RuntimeError("the certification failed")
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_email_leaves_after_the_commit_in_the_background() -> None:
    with transaction.atomic():
        enqueue("test", ["julie@example.org"], "Votre certificat", "Bonjour")
    assert mail.outbox == []  # the commit only asked for it
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.PENDING
    assert run_background_jobs() == 1
    assert [m.to for m in mail.outbox] == [["julie@example.org"]]
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT


@pytest.mark.django_db
def test_an_email_is_claimed_once_so_two_workers_never_send_it_twice(
    django_capture_on_commit_callbacks: Any,
) -> None:
    email = enqueue("test", ["julie@example.org"], "Votre certificat", "Bonjour")
    assert deliver(email.pk) is True
    assert deliver(email.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_claim_left_by_a_crashed_worker_is_taken_again() -> None:
    email = OutboxEmail.objects.create(
        kind="test",
        to=["a@example.org"],
        subject="S",
        body_text="T",
        status=OutboxEmail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=11),
    )
    assert send_due() == 1
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT


def test_retries_back_off_up_to_an_hour() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert backoff(30) == timedelta(hours=1)
