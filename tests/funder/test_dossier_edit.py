"""« Modifier le dossier »: the agent corrects a dossier on the portal's own page, under
the import's rules, and each change is in the dossier's journal."""

from __future__ import annotations

from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.choices import PlanOwner
from realisa.funder.forms import DossierForm
from tests.conftest import World
from tests.factories import CertificateFactory, EmployerFactory


def url(world: World) -> str:
    return reverse("funder:dossier_edit", args=[world.dossier.number])


def posted(world: World, **changes: Any) -> dict[str, Any]:
    data = DossierForm.initial_of(world.dossier)
    data["start_date"] = f"{data['start_date']:%Y-%m-%d}"
    data["end_date"] = f"{data['end_date']:%Y-%m-%d}"
    if not data["is_paperless"]:
        del data["is_paperless"]
    data.update(changes)
    return data


@pytest.fixture
def agent(world: World, client: Client) -> Client:
    client.force_login(world.agent)
    return client


def test_the_page_shows_the_dossier_as_it_is(world: World, agent: Client) -> None:
    page = unescape(agent.get(url(world)).text)
    assert f"Modifier le dossier {world.dossier.number}" in page
    assert f'value="{world.dossier.training_title}"' in page
    assert 'value="600 h"' in page


def test_the_agent_corrects_the_training_and_the_journal_says_what(
    world: World, agent: Client
) -> None:
    response = agent.post(
        url(world),
        posted(world, training_title="BTS Comptabilité", planned_hours="650", last_name="Roy"),
        follow=True,
    )
    assert "Le dossier est mis à jour." in unescape(response.text)
    world.dossier.refresh_from_db()
    world.dossier.beneficiary.refresh_from_db()
    assert world.dossier.training_title == "BTS Comptabilité"
    assert world.dossier.planned_minutes == 650 * 60
    assert world.dossier.beneficiary.last_name == "Roy"
    event = AuditEvent.objects.get(action="dossier.updated")
    assert event.actor == world.agent
    labels = [change[0] for change in event.payload["changes"]]
    assert labels == ["nom du bénéficiaire", "intitulé de l'action", "durée prévue (minutes)"]


def test_taking_the_plan_over_is_recorded(world: World, agent: Client) -> None:
    agent.post(url(world), posted(world, plan_owner=PlanOwner.FUNDER))
    world.dossier.refresh_from_db()
    assert world.dossier.plan_owner == PlanOwner.FUNDER
    event = AuditEvent.objects.get(action="dossier.updated")
    assert event.payload["changes"] == [
        ["calendrier prévisionnel saisi par", "L'organisme de formation", "Le financeur"]
    ]


def test_nothing_changed_says_so(world: World, agent: Client) -> None:
    response = agent.post(url(world), posted(world), follow=True)
    assert "Aucune modification : le dossier était déjà ainsi." in unescape(response.text)
    assert not AuditEvent.objects.filter(action="dossier.updated").exists()


def test_a_date_change_over_entered_hours_is_refused_and_keeps_what_was_typed(
    world: World, agent: Client
) -> None:
    CertificateFactory(dossier=world.dossier, month=date(2026, 1, 1))
    response = agent.post(url(world), posted(world, start_date="2026-01-19", first_name="Julia"))
    text = unescape(response.text)
    assert response.status_code == 409
    assert "Le dossier n'est pas modifié" in text
    assert "les heures de janvier 2026 sont déjà saisies" in text
    assert 'value="Julia"' in text
    world.dossier.refresh_from_db()
    assert world.dossier.start_date == date(2026, 1, 12)


def test_an_employer_siret_of_another_name_is_refused(world: World, agent: Client) -> None:
    other = EmployerFactory(name="Garage Central")
    response = agent.post(
        url(world), posted(world, employer_siret=other.siret, employer_name="Garage du Nord")
    )
    assert f"Le SIRET {other.siret} est celui de l'employeur « Garage Central »" in unescape(
        response.text
    )


def test_a_form_error_is_named_next_to_its_field(world: World, agent: Client) -> None:
    response = agent.post(
        url(world), posted(world, end_date="2026-01-01", employer_siret="123", planned_hours="x")
    )
    text = unescape(response.text)
    assert "La date de fin précède la date de début." in text
    assert "Ce numéro SIRET n'est pas valide (14 chiffres, clé de contrôle)." in text
    assert "« x » n'est pas une durée." in text


@pytest.mark.parametrize("name", ["of_admin", "of_user", "beneficiary", "employer"])
def test_only_agents_edit_a_dossier(world: World, client: Client, name: str) -> None:
    client.force_login(world.user(name))
    assert client.get(url(world)).status_code in (403, 404)
    assert client.post(url(world), posted(world, training_title="X")).status_code in (403, 404)
    world.dossier.refresh_from_db()
    assert world.dossier.training_title != "X"
