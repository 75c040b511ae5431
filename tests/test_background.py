"""``run_later``: what a request asks for after its response runs once the transaction
commits, in the background thread without a broker, on a Celery worker with one."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from celery import shared_task
from django.db import transaction

from realisa.lib import background
from realisa.lib.background import run_later
from realisa.notifications.models import OutboxEmail

seen: list[tuple[str, str, bool]] = []


@shared_task(ignore_result=True)
def note(word: str) -> None:
    """Remember the word, the thread that ran the job, and whether the e-mail row it was
    asked with is there: committed, seen through the job's own connection."""
    committed = OutboxEmail.objects.filter(subject=word).exists()
    seen.append((word, threading.current_thread().name, committed))


@shared_task(ignore_result=True)
def fail() -> None:
    raise RuntimeError("the receiver is broken")


@shared_task(ignore_result=True)
def note_then_ask_again(word: str) -> None:
    note(word)
    run_later(note, f"{word}, then")


def outbox_row(subject: str) -> None:
    OutboxEmail.objects.create(kind="test", to=["a@example.org"], subject=subject, body_text="")


@pytest.fixture(autouse=True)
def _forget() -> None:
    seen.clear()


@pytest.fixture
def thread(settings: Any) -> Iterator[None]:
    """The embedded default: the process's background thread runs the jobs."""
    settings.BACKGROUND_THREAD = True
    yield
    assert background.RUNNER.stop(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_job_runs_in_the_background_thread_after_the_commit(
    thread: None,
) -> None:
    with transaction.atomic():
        outbox_row("bonjour")
        run_later(note, "bonjour")
        run_later(note_then_ask_again, "encore")
        assert seen == []  # not before the commit

    assert background.RUNNER.stop(timeout=30)
    assert seen == [
        ("bonjour", "realisa-background", True),
        ("encore", "realisa-background", False),
        ("encore, then", "realisa-background", False),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_job_asked_in_a_transaction_that_rolls_back_never_runs() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        run_later(note, "jamais")
        raise RuntimeError("the change failed")
    assert background.run_pending() == 0
    assert seen == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_logged_and_the_next_one_runs(caplog: pytest.LogCaptureFixture) -> None:
    run_later(fail)
    run_later(note, "après")
    with caplog.at_level(logging.ERROR, logger="realisa.lib.background"):
        assert background.run_pending() == 2
    assert "background job tests.test_background.fail failed" in caplog.text
    assert [word for word, _, _ in seen] == ["après"]


class Broker:
    """A task as a broker sees it: ``delay`` remembers the message, nothing runs here."""

    name = "tests.send"

    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []

    def delay(self, *args: Any) -> None:
        self.sent.append(args)

    def __call__(self, *args: Any) -> None:
        raise AssertionError("with a broker, the web process never runs the task")


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_job_goes_to_a_celery_worker(settings: Any) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    task = Broker()
    with transaction.atomic():
        run_later(task, 42)  # type: ignore[arg-type]
        assert task.sent == []
    assert task.sent == [(42,)]
    assert background.run_pending() == 0
