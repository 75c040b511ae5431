"""No query grows with the data: the list pages run the same queries for 10 and 1,000
dossiers (each page shows a bounded slice; every row's related data is fetched at once)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.dossiers.models import Beneficiary, Dossier
from tests.conftest import World

START, END = date(2026, 1, 5), date(2026, 6, 26)


def add_dossiers(world: World, count: int, batch: str) -> None:
    """``count`` more dossiers of the first organisation, each with six months entered."""
    organisation = world.dossier.organisation
    beneficiaries = Beneficiary.objects.bulk_create(
        Beneficiary(civility="m", first_name="Karim", last_name=f"Bulk{batch}{n}")
        for n in range(count)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            number=f"B{batch}-{n:05d}",
            organisation=organisation,
            beneficiary=beneficiary,
            employer=world.dossier.employer,
            training_title="Formation",
            start_date=START,
            end_date=END,
        )
        for n, beneficiary in enumerate(beneficiaries)
    )
    Certificate.objects.bulk_create(
        Certificate(dossier=dossier, month=date(2026, month, 1), status=MonthStatus.CERTIFIED)
        for dossier in dossiers
        for month in range(1, 7)
    )


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


PAGES: dict[str, Callable[[World], str]] = {
    "mes dossiers": lambda world: "/dossiers/",
    "mes dossiers, recherche": lambda world: "/dossiers/?q=bulk",
    "mes dossiers, page 3": lambda world: "/dossiers/?page=3",
    "mes certificats": lambda world: "/documents/mes-certificats/",
    "les mois d'un dossier": lambda world: f"/dossiers/{world.dossier.number}/certificats/",
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ["of_user", "employer"])
def test_a_list_page_runs_the_same_queries_for_10_and_1000_dossiers(
    world: World, client: Client, page: str, role: str
) -> None:
    client.force_login(world.user(role))
    path = PAGES[page](world)
    add_dossiers(world, 10, "a")
    client.get(path)  # warm the session and the caches
    small = count_queries(client, path)
    add_dossiers(world, 990, "b")
    assert count_queries(client, path) == small
