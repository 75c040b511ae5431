"""A Celery task's log lines, as a worker writes them: JSON with ``LOG_JSON`` like the
portal's, with the task's id and the request id of the request that queued it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

from realisa.lib.jsonlog import JsonFormatter
from realisa.lib.requestid import RequestIdFilter, request_id, task_id

ROOT = Path(__file__).resolve().parent.parent


class Task:
    """What the signals see of a task: its name and its request (the message's headers)."""

    name = "realisa.run_command"

    def __init__(self, request: SimpleNamespace) -> None:
        self.request = request


def json_line(message: str) -> dict[str, Any]:
    record = logging.LogRecord("realisa.tasks", logging.INFO, __file__, 1, message, (), None)
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))  # type: ignore[no-any-return]


def test_the_request_id_travels_with_the_task_to_its_log_lines() -> None:
    token = request_id.set("req-queued-1234")
    headers: dict[str, Any] = {}
    try:
        before_task_publish.send(sender="realisa.run_command", headers=headers, body=None)
    finally:
        request_id.reset(token)
    assert headers["request_id"] == "req-queued-1234"

    # the worker, later, in another process: the message's headers are the task's request
    task = Task(request=SimpleNamespace(**headers))
    task_prerun.send(sender=task, task_id="task-42", task=task, args=(), kwargs={})
    line = json_line("Envoi des e-mails")
    task_postrun.send(sender=task, task_id="task-42", task=task, state="SUCCESS")
    assert (line["request_id"], line["task_id"]) == ("req-queued-1234", "task-42")
    assert line["time"].endswith("+00:00")
    assert (request_id.get(), task_id.get()) == ("-", "-")
    assert "task_id" not in json_line("Hors tâche")


def test_with_a_broker_the_worker_logs_each_task_through_the_portal_logging() -> None:
    show = (
        "import logging; from django.conf import settings as s; "
        "print(s.CELERY_WORKER_HIJACK_ROOT_LOGGER, "
        "logging.getLogger('celery.app.trace').getEffectiveLevel(), "
        "logging.getLogger('realisa.tasks').getEffectiveLevel())"
    )
    env = os.environ | {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/15", "DEBUG": "1"}
    result = subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == ["False", "20", "20"]  # INFO
