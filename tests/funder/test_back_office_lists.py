"""The back-office lists scale: « Contrôle des justificatifs », « Comptes non activés » and
« Organismes en retard » are searched, sorted and paged (50 a page), the pages keeping the
filters."""

from __future__ import annotations

from datetime import date

import time_machine
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from realisa.accounts.models import User
from realisa.choices import Role
from realisa.organisations.models import Organisation
from tests.conftest import World
from tests.factories import DossierFactory, OrganisationFactory
from tests.identity.conftest import add_document


def waiting(count: int) -> list[Organisation]:
    organisations = [OrganisationFactory(is_certifier=True) for _ in range(count)]
    for organisation in organisations:
        add_document(organisation, "kbis")
    return organisations


def test_the_review_queue_is_searched_and_paged(world: World, agent_client: Client) -> None:
    organisations = waiting(51)
    url = reverse("funder:review_queue")
    first = agent_client.get(url).text
    assert "51 organismes en attente" in first and "Page 1 sur 2" in first
    wanted = organisations[7]
    found = agent_client.get(url, {"q": wanted.siret[:11]}).text
    assert wanted.name in found and "1 organisme en attente pour cette recherche" in found
    by_name = agent_client.get(url, {"tri": "-organisme", "page": "2"}).text
    assert "?tri=-organisme&amp;page=1" in by_name


def not_activated(count: int, world: World) -> list[User]:
    return [
        User.objects.create(
            username=f"invite{n}",
            last_name=f"Invité{n:02d}",
            email=f"invite{n}@example.org",
            role=Role.OF_USER,
            organisation=world.dossier.organisation,
            password=make_password(None),
        )
        for n in range(count)
    ]


def test_every_account_not_activated_is_listed_page_by_page(
    world: World, agent_client: Client
) -> None:
    not_activated(55, world)
    url = reverse("funder:invitations")
    page = agent_client.get(url).text
    assert "55 comptes non activés" in page and "Page 1 sur 2" in page
    found = agent_client.get(url, {"q": "invite42@example"}).text
    assert "Invité42" in found and "1 compte non activé pour ces filtres" in found
    assert "Invité41" not in found
    assert "Aucun compte non activé" in agent_client.get(url, {"role": Role.EMPLOYER}).text


@time_machine.travel(date(2026, 4, 15), tick=False)
def test_the_late_organisations_are_listed_searched_and_sorted(
    world: World, agent_client: Client
) -> None:
    late = [OrganisationFactory(name=f"Centre {letter}") for letter in "CAB"]
    for count, organisation in enumerate(late, start=1):
        for _ in range(count):  # C: 1 dossier late, A: 2, B: 3
            DossierFactory(organisation=organisation)
    url = reverse("funder:late_list")
    names = [o.name for o in late]

    def order(page: str) -> list[str]:
        return sorted((n for n in names if n in page), key=page.index)

    assert order(agent_client.get(url).text) == ["Centre B", "Centre A", "Centre C"]
    assert order(agent_client.get(url, {"tri": "organisme"}).text) == names[1:] + names[:1]
    searched = agent_client.get(url, {"q": "centre a"}).text
    assert order(searched) == ["Centre A"]
    assert 'name="retour" value="retards"' in searched
    dashboard = agent_client.get(reverse("funder:dashboard")).text
    assert "Centre B" in dashboard


@time_machine.travel(date(2026, 4, 15), tick=False)
def test_reminding_from_the_late_list_comes_back_to_it(world: World, agent_client: Client) -> None:
    organisation = world.dossier.organisation
    response = agent_client.post(
        reverse("funder:remind_selection"), {"organisme": organisation.pk, "retour": "retards"}
    )
    assert response.headers["Location"] == reverse("funder:late_list")
    response = agent_client.post(
        reverse("funder:remind_selection"), {"organisme": organisation.pk, "retour": "ailleurs"}
    )
    assert response.headers["Location"] == reverse("funder:dashboard")
