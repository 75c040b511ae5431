"""Celery: a real broker (Redis) at scale; tasks run eagerly when no broker is set.

``JOBS`` is the portal's whole schedule, in one place. Each job is a ``manage.py`` command:
with a broker, beat runs it through the ``realisa.run_command`` task at the time its cron
fields say (in the portal's time zone, ``TIME_ZONE``); without one, cron runs the same
command at the same time, from the lines that ``manage.py crontab`` prints (the example of
``docs/operations.md``, which a test compares with them).
"""

import logging
import os
from contextvars import Token
from dataclasses import dataclass
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.management import call_command

from realisa.lib.requestid import request_id
from realisa.lib.requestid import task_id as current_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realisa.settings")

app = Celery("realisa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger("realisa.tasks")


# A task's log lines carry its id and the request id of the request that queued it: the
# id travels in the message's headers, and the worker's lines go through the portal's
# logging (CELERY_WORKER_HIJACK_ROOT_LOGGER off: JSON with LOG_JSON, in UTC).
@before_task_publish.connect
def _carry_request_id(headers: dict[str, Any], **kwargs: Any) -> None:
    headers.setdefault("request_id", request_id.get())


_TOKENS: dict[str, tuple[Token[str], Token[str]]] = {}


@task_prerun.connect
def _task_started(task_id: str, task: Any, **kwargs: Any) -> None:
    caused_by = getattr(task.request, "request_id", None) or request_id.get()
    _TOKENS[task_id] = (request_id.set(caused_by), current_task.set(task_id))
    logger.info("Tâche %s commencée", task.name)


@task_postrun.connect
def _task_ended(task_id: str, task: Any, state: str | None = None, **kwargs: Any) -> None:
    logger.info("Tâche %s terminée : %s", task.name, state)
    tokens = _TOKENS.pop(task_id, None)
    if tokens is not None:
        request_id.reset(tokens[0])
        current_task.reset(tokens[1])


@dataclass(frozen=True)
class Job:
    name: str  # beat's entry
    command: str  # the manage.py command (and its arguments)
    cron: str  # minute, hour, day of the month, month, day of the week
    why: str

    def schedule(self) -> crontab:
        minute, hour, day, month, weekday = self.cron.split()
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day,
            month_of_year=month,
            day_of_week=weekday,
        )


JOBS = (
    Job("send-outbox", "send_outbox", "* * * * *", "the e-mails whose time has come"),
    Job("send-webhooks", "send_webhooks", "* * * * *", "the webhook deliveries due"),
    Job(
        "close-unanswered-months",
        "close_unanswered_months",
        "5 * * * *",
        "reminds the beneficiaries, validates the months past the deadline",
    ),
    Job(
        "resume-batches",
        "resume_batches",
        "*/5 * * * *",
        "the batch certifications whose task was lost",
    ),
    Job("send-reminders", "send_reminders", "0 7 * * *", "the late organisations' digests"),
    Job(
        "generate-month-pdfs",
        "generate_month_pdfs",
        "30 0 1 * *",
        "the month-start batch: the PDFs of the month just ended",
    ),
    Job(
        "audit-checkpoint",
        "audit_checkpoint",
        "15 3 * * *",
        "verifies the audit chain, writes a signed checkpoint",
    ),
    Job(
        "verify-audit-chain",
        "verify_audit_chain",
        "30 3 * * *",
        "verifies the audit chain and the stored files",
    ),
    Job("purge-logs", "purge_logs", "45 3 1 * *", "deletes connection events after 12 months"),
)

app.conf.beat_schedule = {
    job.name: {"task": "realisa.run_command", "schedule": job.schedule(), "args": [job.command]}
    for job in JOBS
}


@app.task(name="realisa.run_command", ignore_result=True)
def run_command(command: str) -> None:
    """One job of the schedule: the same command cron runs without a broker. A command
    that fails (``CommandError``) fails the task, which the worker logs as an error."""
    call_command(*command.split())


def crontab_lines(checkout: str = "/srv/realisa") -> list[str]:
    """The schedule as cron lines, for a portal run without a broker."""
    lines = []
    for job in JOBS:
        lines.append(f"# {job.name}: {job.why}")
        lines.append(f"{job.cron:<13} cd {checkout} && .venv/bin/python manage.py {job.command}")
    return lines
