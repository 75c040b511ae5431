"""Work done after the response: ``run_later(task, *args)``.

A request with something slow to do (send an e-mail, post a webhook, render PDFs) asks for
it with ``run_later`` and answers at once; no request waits for a mail server or a
receiver. The job is asked for once the caller's transaction commits (at once outside one),
so it never runs for a change that rolled back, and it sees the change committed.

- **With a broker** (``CELERY_BROKER_URL``), ``task.delay(*args)``: a Celery worker runs it.
- **Without one** (the embedded default), one daemon thread of this process runs the jobs
  one after the other, in the order they were asked for. It starts with the first job. A
  job runs with the thread's own database connection, closed after each job; a job that
  raises is logged and the next one runs. When the process exits, the thread first runs
  the jobs already asked for, for ``EXIT_WAIT`` seconds at most.

The queue lives in memory only. What must not be lost is written first as a row, in the
transaction of the change (an outbox e-mail, a webhook delivery), and the job carries only
its id: if the process dies before the job runs, ``send_outbox`` and the beat's sweeps send
it. (The « mot de passe oublié » lookup carries only the typed address: lost with the
process, it is asked again.) A job may itself call ``run_later``; that one runs after it.

Tests set ``BACKGROUND_THREAD = False``: jobs then wait in the queue until the test runs
them with ``run_pending()``, in its own thread.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ParamSpec

from celery import Task
from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

P = ParamSpec("P")
EXIT_WAIT = 20.0  # seconds: under the 30 s a process manager grants before killing


@dataclass(frozen=True)
class Job:
    """A task and its arguments, asked for by ``run_later``."""

    task: Task[Any, Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def run(self) -> None:
        """Run it here; a failure is logged, never raised, so the next job runs."""
        try:
            self.task(*self.args, **self.kwargs)
        except Exception:  # any failure of one job: log it and go on
            logger.exception("background job %s failed", self.task.name)

    def send_to_broker(self) -> None:
        try:
            self.task.delay(*self.args, **self.kwargs)
        except Exception:  # the broker is down: the beat's sweeps catch up
            logger.exception("could not schedule %s", self.task.name)


class Runner:
    """The in-process queue of jobs and the daemon thread that runs them."""

    def __init__(self) -> None:
        self._jobs: deque[Job] = deque()
        self._changed = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def submit(self, job: Job) -> None:
        with self._changed:
            self._jobs.append(job)
            self._changed.notify_all()
        if settings.BACKGROUND_THREAD:
            self._start()

    def _start(self) -> None:
        with self._changed:
            if self._thread is None or not self._thread.is_alive():  # not yet, or forked
                self._thread = threading.Thread(
                    target=self._work, name="realisa-background", daemon=True
                )
                self._thread.start()

    def _next(self) -> Job | None:
        """The next job; None once asked to stop and none is left."""
        with self._changed:
            self._changed.wait_for(lambda: bool(self._jobs) or self._stopping)
            return self._jobs.popleft() if self._jobs else None

    def _work(self) -> None:
        while (job := self._next()) is not None:
            try:
                job.run()
            finally:
                connections.close_all()  # this thread's: the next job opens its own

    def stop(self, timeout: float) -> bool:
        """Let the thread run the jobs asked for so far (and those they ask for), then end,
        waiting at most ``timeout`` seconds; True when no job is left. At exit, and after a
        test that ran the thread."""
        with self._changed:
            thread, self._stopping = self._thread, True
            self._changed.notify_all()
        if thread is not None:
            thread.join(timeout)
        with self._changed:
            if thread is None or not thread.is_alive():
                self._stopping = False
            return not self._jobs

    def run_pending(self) -> int:
        """Run the waiting jobs here, in the caller's thread, with those they ask for in
        turn, until none is left; how many ran."""
        ran = 0
        while True:
            with self._changed:
                if not self._jobs:
                    return ran
                job = self._jobs.popleft()
            job.run()
            ran += 1

    def clear(self) -> None:
        """Forget the waiting jobs (a test's leftovers)."""
        with self._changed:
            self._jobs.clear()


RUNNER = Runner()
atexit.register(RUNNER.stop, EXIT_WAIT)


def _ask(job: Job) -> None:
    if settings.CELERY_BROKER_URL:
        job.send_to_broker()
    else:
        RUNNER.submit(job)


def run_later(task: Task[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
    """Run ``task(*args, **kwargs)`` after the response, once the current transaction
    commits: on a Celery worker with a broker, in this process's background thread
    without one. Nothing waits for it and nothing is returned: a task leaves its result in
    the database (a row sent, a PDF stored)."""
    transaction.on_commit(partial(_ask, Job(task, args, kwargs)))


def run_pending() -> int:
    """Run the jobs waiting in this process's queue, here and now (tests); how many ran."""
    return RUNNER.run_pending()
