"""« Relancer » from the page: one organisation with a preview of the e-mail, or the
selection of late organisations, within ``REMINDER_INTERVAL_DAYS``; the last reminder is
shown, and the scheduled command stays."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.funder.models import Reminder
from realisa.funder.reminders import Outcome, send_reminders
from tests.conftest import World, run_background_jobs
from tests.funder.test_reminders import TODAY, certify_everything


@pytest.fixture
def mid_april(settings: Any) -> Any:
    settings.REMINDER_INTERVAL_DAYS = 7
    with time_machine.travel(TODAY, tick=False):
        yield


def late_page(client: Client, world: World) -> str:
    url = reverse("funder:organisation_late", args=[world.dossier.organisation_id])
    return unescape(client.get(url).content.decode())


@pytest.mark.usefixtures("mid_april")
def test_the_page_previews_the_email_and_relancer_sends_it(
    world: World, agent_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    certify_everything(world)
    page = late_page(agent_client, world)
    assert "Cet organisme n'a jamais été relancé." in page
    assert "Aperçu de l'e-mail de relance" in page
    assert "3 mois à saisir ou à certifier" in page  # the subject, as it will be sent
    assert f"/certificats/{world.dossier.number}/2026/1/" in page  # the body's links
    with django_capture_on_commit_callbacks(execute=True):
        done = agent_client.post(
            reverse("funder:remind", args=[world.dossier.organisation_id]), follow=True
        )
    assert f"Relance envoyée à {world.dossier.organisation.name} (3 mois)." in unescape(
        done.content.decode()
    )
    run_background_jobs()
    (email,) = mail.outbox
    assert "3 mois à saisir ou à certifier" in email.subject
    event = AuditEvent.objects.get(action="organisation.reminded")
    assert event.actor == world.agent
    after = late_page(agent_client, world)
    assert f"Dernière relance le {TODAY:%d/%m/%Y} (3 mois en retard)." in after
    next_on = TODAY + timedelta(days=7)
    assert f"Prochaine relance possible le {next_on:%d/%m/%Y}" in after
    assert "Aperçu de l'e-mail de relance" not in after


@pytest.mark.usefixtures("mid_april")
def test_a_second_relance_within_the_interval_is_refused_with_its_date(
    world: World, agent_client: Client
) -> None:
    certify_everything(world)
    assert len(send_reminders(TODAY)[Outcome.SENT]) == 1  # the scheduled command, this morning
    again = agent_client.post(
        reverse("funder:remind", args=[world.dossier.organisation_id]), follow=True
    )
    next_on = TODAY + timedelta(days=7)
    assert (
        f"a déjà été relancé le {TODAY:%d/%m/%Y} : prochaine relance possible le "
        f"{next_on:%d/%m/%Y}."
    ) in unescape(again.content.decode())
    assert Reminder.objects.count() == 1


@pytest.mark.usefixtures("mid_april")
def test_the_dashboard_reminds_the_selection_and_shows_the_last_reminder(
    world: World, agent_client: Client
) -> None:
    dashboard = unescape(agent_client.get(reverse("funder:dashboard")).content.decode())
    assert "Relancer la sélection" in dashboard and "<td>jamais</td>" in dashboard
    organisations = [world.dossier.organisation_id, world.other_dossier.organisation_id]
    send_reminders_before = Reminder.objects.count()
    agent_client.post(reverse("funder:remind", args=[organisations[0]]))
    done = agent_client.post(
        reverse("funder:remind_selection"), {"organisme": organisations}, follow=True
    )
    text = unescape(done.content.decode())
    assert "1 relance envoyée ; 1 organisme déjà relancé depuis moins de 7 jours." in text
    assert Reminder.objects.count() == send_reminders_before + 2
    assert f"<td>le {TODAY:%d/%m/%Y}</td>" in text
    nothing = agent_client.post(reverse("funder:remind_selection"), {}, follow=True)
    assert "Cochez au moins un organisme en retard à relancer." in unescape(
        nothing.content.decode()
    )


@pytest.mark.parametrize("name", ["of_admin", "beneficiary"])
def test_only_agents_remind(world: World, client: Client, name: str) -> None:
    client.force_login(world.user(name))
    response = client.post(reverse("funder:remind", args=[world.dossier.organisation_id]))
    assert response.status_code in (403, 404)
    assert client.post(reverse("funder:remind_selection")).status_code in (403, 404)
    assert not Reminder.objects.exists()


@pytest.mark.usefixtures("mid_april")
def test_a_selection_already_reminded_says_so_in_the_plural(
    world: World, agent_client: Client
) -> None:
    assert len(send_reminders(TODAY)[Outcome.SENT]) == 2
    organisations = [world.dossier.organisation_id, world.other_dossier.organisation_id]
    done = agent_client.post(
        reverse("funder:remind_selection"), {"organisme": organisations}, follow=True
    )
    assert "0 relance envoyée ; 2 organismes déjà relancés depuis moins de 7 jours." in (
        unescape(done.content.decode())
    )


@pytest.mark.usefixtures("mid_april")
def test_the_agent_is_told_an_organisation_has_no_address(
    world: World, agent_client: Client
) -> None:
    organisation = world.dossier.organisation
    organisation.email = ""
    organisation.save()
    organisation.members.update(email="")
    one = agent_client.post(reverse("funder:remind", args=[organisation.pk]), follow=True)
    assert f"{organisation.name} : aucune adresse e-mail" in unescape(one.content.decode())
    both = [organisation.pk, world.other_dossier.organisation_id]
    done = agent_client.post(reverse("funder:remind_selection"), {"organisme": both}, follow=True)
    assert "1 relance envoyée ; 1 organisme sans adresse e-mail, non relancé." in unescape(
        done.content.decode()
    )
    assert list(Reminder.objects.values_list("organisation", flat=True)) == [both[1]]
