"""The transactional outbox, written once for the e-mails and the webhooks.

A message is a row written in the transaction of the change it reports, so the change and
its message commit (or roll back) together; ``deliver_after_commit`` then asks for its
sending after the response (``realisa.lib.background``: a Celery worker, or the process's
background thread without a broker), so no request waits for the receiver.
``Outbox.deliver`` *claims* the row with a conditional UPDATE (pending → sending): of two
workers only one gets it, so a message is never sent twice. It calls the outbox's
``send(row)``: when that returns, the row is done; when it raises ``Failed``, the row goes
back to pending and is tried again 1, 2, 4… minutes later (at most an hour between tries),
or is given up after ``max_attempts``. ``Outbox.send_due`` (Celery beat, every minute)
takes back the claims of a worker that crashed and sends whatever is due.

Each outbox's model has the fields ``status`` (« pending » and « sending » among its
values), ``attempts``, ``next_attempt_at``, ``claimed_at``, ``last_error`` and a « done
at » time (see ``Outbox``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar, cast

from celery import Task
from django.db import models
from django.utils import timezone

from realisa.lib.background import run_later

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
STALE_CLAIM = timedelta(minutes=10)
ERROR_LENGTH = 2000

Row = TypeVar("Row", bound=models.Model)


class Queued(Protocol):
    """What the outbox reads of a row besides its model's manager: the tries made so far."""

    attempts: int


class Failed(Exception):
    """Raised by a ``send``: the receiver did not take the message. ``error`` is kept as the
    row's ``last_error``; ``fields`` are written on the row too (an HTTP status code)."""

    def __init__(self, error: str, **fields: Any) -> None:
        super().__init__(error)
        self.error = error
        self.fields = fields


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4… minutes, at most an hour, so a
    server that is down is not hammered and one that is back soon is reached soon."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_after_commit(task: Task[[int], None], pk: int) -> None:
    """Ask for ``task(pk)`` after the response, once the caller's transaction commits: never
    for a change that rolled back, and no request waits for a receiver."""
    run_later(task, pk)


@dataclass(frozen=True)
class Outbox(Generic[Row]):
    """One outbox: its ``model``, how one row is sent (``send``), and its status values
    (``pending``, then ``sending`` while a worker holds the claim, then ``done``).

    ``send(row)`` returns the fields to write on the row once it is done (``{}`` when
    none) or raises ``Failed``; any other exception is a bug and leaves the claim to be
    taken back after ``STALE_CLAIM``. ``done`` is the status once sent and ``done_at`` the
    field that keeps when; ``given_up`` the status after ``max_attempts`` failures
    (``max_attempts=0``: tried again forever). ``related`` is passed to ``select_related``.
    """

    model: type[Row]
    send: Callable[[Row], dict[str, Any]]
    done: str
    done_at: str
    given_up: str = ""
    max_attempts: int = 0
    related: tuple[str, ...] = ()
    pending: str = "pending"
    sending: str = "sending"

    def claim(self, pk: int) -> Row | None:
        """Take a pending row for this worker alone; None when another has it or it is done."""
        rows = self.model._default_manager.filter(pk=pk, status=self.pending)
        if not rows.update(status=self.sending, claimed_at=timezone.now()):
            return None
        return self.model._default_manager.select_related(*self.related).get(pk=pk)

    def mark_sent(self, pk: int, attempts: int, fields: dict[str, Any]) -> None:
        self.model._default_manager.filter(pk=pk).update(
            status=self.done,
            attempts=attempts,
            last_error="",
            **{self.done_at: timezone.now()},
            **fields,
        )

    def mark_failed(self, pk: int, attempts: int, failure: Failed) -> None:
        """Back to pending for a later try, or given up after ``max_attempts``."""
        given_up = bool(self.max_attempts) and attempts >= self.max_attempts
        self.model._default_manager.filter(pk=pk).update(
            status=self.given_up if given_up else self.pending,
            attempts=attempts,
            next_attempt_at=timezone.now() + backoff(attempts),
            last_error=failure.error[:ERROR_LENGTH],
            **failure.fields,
        )
        label = self.model._meta.label
        logger.warning("%s %s not sent (attempt %s): %s", label, pk, attempts, failure.error)

    def deliver(self, pk: int) -> bool:
        """Send one pending row; True when it was sent now."""
        row = self.claim(pk)
        if row is None:
            return False
        attempts = cast(Queued, row).attempts + 1
        try:
            fields = self.send(row)
        except Failed as failure:
            self.mark_failed(pk, attempts, failure)
            return False
        self.mark_sent(pk, attempts, fields)
        return True

    def release_stale(self, now: datetime) -> int:
        """Give back the claims older than ``STALE_CLAIM``: their worker died while sending."""
        return self.model._default_manager.filter(
            status=self.sending, claimed_at__lt=now - STALE_CLAIM
        ).update(status=self.pending)

    def send_due(self, now: datetime | None = None) -> int:
        """Send every pending row whose time has come, oldest first; how many were sent."""
        now = now or timezone.now()
        self.release_stale(now)
        due = self.model._default_manager.filter(
            status=self.pending, next_attempt_at__lte=now
        ).order_by("pk")
        return sum(self.deliver(pk) for pk in due.values_list("pk", flat=True))
