"""The portal's schedule (``JOBS`` in realisa/celery.py): beat runs every job with a broker,
cron runs the same commands at the same times without one, and the operations guide shows
exactly the lines ``manage.py crontab`` prints."""

from __future__ import annotations

import re
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from realisa.celery import JOBS, app, run_command
from realisa.notifications.models import OutboxEmail
from realisa.notifications.outbox import enqueue

GUIDE = Path(settings.BASE_DIR) / "docs" / "operations.md"
PARIS = ZoneInfo("Europe/Paris")


def crontab_printed() -> list[str]:
    out = StringIO()
    call_command("crontab", stdout=out)
    return out.getvalue().splitlines()


def test_the_guide_shows_the_lines_the_command_prints() -> None:
    [block] = re.findall(r"```cron\n(.*?)```", GUIDE.read_text(), flags=re.S)
    assert block.splitlines() == crontab_printed()


def test_beat_runs_each_job_of_the_list_and_cron_the_same_commands() -> None:
    beat = app.conf.beat_schedule
    assert list(beat) == [job.name for job in JOBS]
    for job in JOBS:
        assert beat[job.name]["task"] == "realisa.run_command"
        assert beat[job.name]["args"] == [job.command]
        assert job.command.split()[0] in get_commands(), job.command
    commands = [line.split("manage.py ")[1] for line in crontab_printed() if "manage.py" in line]
    assert commands == [job.command for job in JOBS]


def test_every_job_the_portal_needs_is_scheduled() -> None:
    """The audit check, the purge, the month-start batch and both outbox sweeps included."""
    assert {job.command for job in JOBS} >= {
        "send_outbox",
        "send_webhooks",
        "send_reminders",
        "close_unanswered_months",
        "generate_month_pdfs",
        "audit_checkpoint",
        "verify_audit_chain",
        "purge_logs",
    }


def test_the_month_start_batch_runs_on_the_first_in_paris() -> None:
    [batch] = [job for job in JOBS if job.command == "generate_month_pdfs"]
    schedule = app.conf.beat_schedule[batch.name]["schedule"]
    assert str(app.timezone) == "Europe/Paris"
    assert schedule.day_of_month == {1} and schedule.hour == {0}
    first = datetime(2026, 12, 1, 0, 30, tzinfo=PARIS)
    remaining = schedule.remaining_delta(datetime(2026, 11, 30, 23, 0, tzinfo=PARIS))
    assert remaining[0] + remaining[1] == first


def test_beat_keeps_its_state_in_the_data_folder() -> None:
    state = Path(app.conf.beat_schedule_filename)
    assert state.parent == Path(settings.DATA_DIR)


@pytest.mark.django_db
def test_a_job_runs_its_command(settings: Any) -> None:
    settings.BACKGROUND_THREAD = False
    email = enqueue("test", ["a@example.org"], "Sujet", "Texte")
    run_command("send_outbox")
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT


@pytest.mark.django_db
def test_a_failing_job_fails_its_task() -> None:
    with pytest.raises(CommandError):
        run_command("generate_month_pdfs 2026-13")
