"""The screens a person reaches: login, « Mes dossiers », the dossier's tabs, the admin."""

import re
from datetime import date
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from realisa.choices import Role
from tests.conftest import World
from tests.factories import (
    PASSWORD,
    BeneficiaryFactory,
    DossierFactory,
    PaymentFactory,
    UserFactory,
)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_login_page_speaks_french(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert "Connexion à votre espace" in response.text
    assert '<label for="id_username">Identifiant</label>' in response.text


def test_a_wrong_password_says_so_in_french_and_keeps_the_username(
    db: None, client: Client
) -> None:
    UserFactory(username="of.test", role=Role.AGENT)
    response = client.post(reverse("login"), {"username": "of.test", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text
    assert 'value="of.test"' in response.text


def test_logging_in_leads_to_my_dossiers(world: World, client: Client) -> None:
    response = client.post(
        reverse("login"), {"username": world.of_user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dossiers:list")
    assert "<h1>Mes dossiers</h1>" in response.text
    assert world.dossier.number in response.text


def test_logging_out_needs_a_post_and_ends_the_session(world: World, client: Client) -> None:
    client.force_login(world.of_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dossiers:list")).status_code == 302


@pytest.mark.parametrize(
    ("typed", "found"),
    [("{number}", True), ("martin", True), ("julie martin", True), ("durand", False)],
)
def test_my_dossiers_are_searched_by_number_or_name(
    world: World, client: Client, typed: str, found: bool
) -> None:
    typed = typed.format(number=world.dossier.number[:-1].lower())  # a part of the number
    client.force_login(world.of_user)
    response = client.get(reverse("dossiers:list"), {"q": typed})
    assert (world.dossier.number in response.text) is found
    if not found:
        assert f"Aucun dossier ne correspond à « {typed} »." in response.text


def test_the_agent_also_finds_dossiers_by_organisation_name_or_siret(
    world: World, client: Client
) -> None:
    """Who sees several organisations' dossiers searches by organisation too; within one
    organisation its own name would match every dossier, so there it is not searched."""
    organisation = world.dossier.organisation
    client.force_login(world.agent)
    for typed in (organisation.name, organisation.siret[:9]):
        text = client.get(reverse("dossiers:list"), {"q": typed}).text
        assert world.dossier.number in text and world.other_dossier.number not in text
    client.force_login(world.of_user)
    text = client.get(reverse("dossiers:list"), {"q": organisation.name}).text
    assert world.dossier.number not in text


def test_my_dossiers_are_paginated(world: World, client: Client) -> None:
    for _ in range(25):
        DossierFactory(organisation=world.dossier.organisation, beneficiary=BeneficiaryFactory())
    client.force_login(world.of_user)
    first = client.get(reverse("dossiers:list"))
    second = client.get(reverse("dossiers:list"), {"page": 2})
    assert "26 dossiers" in first.text
    assert "Page 1 sur 2" in first.text and "Page 2 sur 2" in second.text
    assert first.text.count("<tr>") == 21  # the header and 20 dossiers
    assert second.text.count("<tr>") == 7


@time_machine.travel(date(2026, 4, 15), tick=False)
def test_the_certificates_tab_lists_each_month_with_the_seed_words(
    world: World, client: Client
) -> None:
    dossier = world.dossier  # 12 January to 19 June 2026
    PaymentFactory(dossier=dossier, period_start=date(2026, 1, 12), period_end=date(2026, 1, 31))
    PaymentFactory(
        dossier=dossier,
        period_start=date(2026, 2, 1),
        period_end=date(2026, 2, 28),
        is_advance=True,
    )
    client.force_login(world.of_user)
    page = text_of(client.get(reverse("certificates:dossier", args=[dossier.number])).text)
    assert "Certificats de réalisation" in page
    expected = [
        (
            "Janvier 2026",
            "La saisie n'est plus disponible car des règlements ont été faits dans la période",
        ),
        ("Février 2026", "En attente de la saisie de l'organisme"),
        ("Mars 2026", "En attente de la saisie de l'organisme"),
        ("Avril 2026", "La saisie n'est pas disponible"),
        ("Mai 2026", "La saisie n'est pas disponible"),
        ("Juin 2026", "La saisie n'est pas disponible"),
    ]
    for month, status in expected:
        assert re.search(f"{month} du [0-9/]+ au [0-9/]+ {re.escape(status)}", page), month
    assert "Juillet 2026" not in page


def test_the_dossier_page_shows_its_facts(world: World, client: Client) -> None:
    client.force_login(world.beneficiary)
    page = text_of(client.get(reverse("dossiers:detail", args=[world.dossier.number])).text)
    assert "Titre professionnel Développeur web" in page
    assert "du 12/01/2026 au 19/06/2026" in page
    assert "Durée prévue 600 h" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 200), ("of_admin", 302), ("of_user", 302), ("beneficiary", 302), ("employer", 302)],
)
def test_only_agents_reach_the_admin(world: World, client: Client, role: str, status: int) -> None:
    client.force_login(world.user(role))
    assert client.get("/admin/dossiers/dossier/").status_code == status


def test_the_navigation_follows_the_role(world: World, client: Client) -> None:
    client.force_login(world.agent)
    assert "Administration" in client.get(reverse("dossiers:list")).text
    client.force_login(world.employer)
    page = client.get(reverse("dossiers:list")).text
    assert "Dossiers de mes salariés" in page and "Administration" not in page
