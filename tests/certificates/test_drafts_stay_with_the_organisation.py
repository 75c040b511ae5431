"""A month whose hours are entered but not certified is the organisation's draft: the
beneficiary and the employer see neither its hours, nor who entered them, nor that they
were entered, on the months tab and in the API; the organisation and the agent do."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import ApiClient, raw_token
from tests.conftest import World
from tests.factories import CertificateFactory

DRAFT_HOURS = "123 h 45"


@pytest.fixture
def draft(world: World) -> None:
    world.of_user.first_name, world.of_user.last_name = "Nadia", "Benali"
    world.of_user.save()
    CertificateFactory(
        dossier=world.dossier,
        month=date(2026, 3, 1),
        centre_minutes=123 * 60 + 45,
        internship_minutes=0,
        absence_minutes=0,
        entered_by=world.of_user,
    )


def _tab(client: Client, world: World, role: str) -> str:
    client.force_login(world.user(role))
    response = client.get(reverse("certificates:dossier", args=[world.dossier.number]))
    assert response.status_code == 200
    return response.text


@pytest.mark.usefixtures("draft")
@pytest.mark.parametrize("role", ["beneficiary", "employer"])
def test_the_months_tab_keeps_a_draft_from_the_other_parties(
    world: World, client: Client, role: str
) -> None:
    page = _tab(client, world, role)
    assert DRAFT_HOURS not in page
    assert "Nadia Benali" not in page
    assert "en attente de certification" not in page


@pytest.mark.usefixtures("draft")
@pytest.mark.parametrize("role", ["of_user", "agent"])
def test_the_organisation_and_the_agent_see_the_draft(
    world: World, client: Client, role: str
) -> None:
    page = _tab(client, world, role)
    assert "en attente de certification" in page
    assert "Nadia Benali" in page


@pytest.mark.usefixtures("draft")
@pytest.mark.parametrize("role", ["beneficiary", "employer"])
def test_the_api_keeps_a_draft_from_the_other_parties(world: World, role: str) -> None:
    api = ApiClient(raw_token(world.user(role)))
    months = api.get(f"/dossiers/{world.dossier.number}/months")
    assert months.status_code == 200
    march = next(m for m in months.json() if m["month"] == "2026-03")
    assert march["status"] != "entered"
    assert "123" not in str(march)
    found = api.get("/dossiers", status="entered")
    assert found.status_code == 200
    assert found.json()["items"] == []
