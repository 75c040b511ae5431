"""send_reminders: one digest per late organisation, at most once every N days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core import mail
from django.core.management import call_command

from realisa.celery import JOBS
from realisa.funder.models import Reminder
from realisa.funder.reminders import Outcome, send_reminders
from tests.conftest import World, run_background_jobs
from tests.factories import DossierFactory, OrganisationFactory
from tests.funder.conftest import certified

TODAY = date(2026, 4, 15)


def certify_everything(world: World) -> None:
    for month in (1, 2, 3):
        certified(world.other_dossier, date(2026, month, 1))


def test_each_late_organisation_gets_one_digest(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    certify_everything(world)
    DossierFactory(organisation=OrganisationFactory(), start_date=date(2026, 4, 20))  # not late
    with django_capture_on_commit_callbacks(execute=True):
        assert len(send_reminders(TODAY)[Outcome.SENT]) == 1
    run_background_jobs()
    (email,) = mail.outbox
    assert world.of_admin.email in email.to and world.of_user.email in email.to
    assert "3 mois à saisir ou à certifier" in email.subject
    assert f"/certificats/{world.dossier.number}/2026/1/" in email.body
    assert Reminder.objects.get().sent_on == TODAY


def test_no_second_digest_within_the_interval(world: World, settings: Any) -> None:
    settings.REMINDER_INTERVAL_DAYS = 7
    certify_everything(world)
    assert len(send_reminders(TODAY)[Outcome.SENT]) == 1
    assert len(send_reminders(TODAY + timedelta(days=6))[Outcome.SENT]) == 0
    assert len(send_reminders(TODAY + timedelta(days=7))[Outcome.SENT]) == 1
    assert Reminder.objects.count() == 2


def test_the_command_reports_what_it_sent(world: World, capsys: Any) -> None:
    certify_everything(world)
    call_command("send_reminders")
    assert "2 relances envoyées." in capsys.readouterr().out


def test_the_beat_schedule_runs_the_reminders() -> None:
    assert "send_reminders" in [job.command for job in JOBS]


def without_address(world: World) -> None:
    """The first organisation has no contact address and no user with one."""
    organisation = world.dossier.organisation
    organisation.email = ""
    organisation.save()
    organisation.members.update(email="")


def test_an_organisation_without_address_is_named_and_not_held_back(
    world: World, capsys: Any
) -> None:
    certify_everything(world)
    without_address(world)
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert out.startswith("1 relance envoyée.")
    assert f"Sans adresse e-mail, non relancés : {world.dossier.organisation.name}." in out
    assert list(Reminder.objects.values_list("organisation", flat=True)) == [
        world.other_dossier.organisation_id
    ]
    world.dossier.organisation.email = "contact@example.org"  # the agent completes it
    world.dossier.organisation.save()
    assert send_reminders(TODAY)[Outcome.SENT] == [world.dossier.organisation]
