"""No query grows with the data: the list pages run the same queries for 10 and 1,000
dossiers (each page shows a bounded slice; every row's related data is fetched at once)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from realisa.certificates.models import Certificate
from realisa.certificates.month_summary import refresh
from realisa.choices import CertificationMethod, MonthStatus, VersionReason
from realisa.documents.services import generate_version
from realisa.dossiers.models import Beneficiary, Dossier
from realisa.dossiers.periods import training_months
from realisa.funder.models import Transmission
from realisa.funder.transmission import create_transmission
from tests.conftest import World
from tests.factories import CertificateFactory

START, END = date(2026, 1, 5), date(2026, 6, 26)
JANUARY, FEBRUARY, MARCH = (date(2026, m, 1) for m in (1, 2, 3))


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
    refresh(dossier.pk for dossier in dossiers)  # bulk inserts send no signal


def get_counted(client: Client, path: str) -> tuple[int, str]:
    """(queries run, page text) of one GET: the count and what the page showed."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), unescape(response.content.decode())


def count_queries(client: Client, path: str) -> int:
    """The queries of one GET, for the pages whose content the test does not read."""
    return get_counted(client, path)[0]


PAGES: dict[str, Callable[[World], str]] = {
    "mes dossiers": lambda world: "/dossiers/",
    "mes dossiers, recherche": lambda world: "/dossiers/?q=bulk",
    "mes dossiers, page 3": lambda world: "/dossiers/?page=3",
    "mes certificats": lambda world: "/certificats/mes-certificats/",
    "les mois d'un dossier": lambda world: f"/certificats/{world.dossier.number}/",
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


@pytest.mark.parametrize("role", ["of_user", "agent"])
def test_the_months_page_runs_the_same_queries_for_one_month_entered_and_for_all(
    world: World, client: Client, role: str
) -> None:
    """A month's certificate, its PDF versions and what the person may do with it come
    from the page's few queries, never from one more query per row."""
    client.force_login(world.user(role))
    dossier = world.dossier
    path = reverse("certificates:dossier", args=[dossier.number])
    first, *others = training_months(dossier.start_date, dossier.end_date)
    generate_version(
        CertificateFactory(dossier=dossier, month=first.month, entered_by=world.of_user),
        reason=VersionReason.ENTRY,
        actor=world.of_user,
    )
    client.get(path)  # warm the session and the caches
    one = count_queries(client, path)
    for period in others:
        certificate = CertificateFactory(
            dossier=dossier, month=period.month, entered_by=world.of_user, certified=True
        )
        for reason in (VersionReason.ENTRY, VersionReason.CERTIFICATION):
            generate_version(certificate, reason=reason, actor=world.of_user)

    count, text = get_counted(client, path)

    assert count == one
    assert text.count("Versions (2)") == len(others)


def add_funder_dossiers(world: World, count: int, batch: str, *, transmit: bool) -> None:
    """``add_dossiers``, then a month for each of the funder's lists: January certified on
    paper (ready to transmit), March never entered (late; the dashboard's default month)
    and, when ``transmit``, February certified on paper and transmitted in one batch of
    ``count`` lines. The service writes about seven queries a month, seconds for 990
    months: only the pages that show transmissions pay for it."""
    add_dossiers(world, count, batch)
    months = Certificate.objects.filter(dossier__number__startswith=f"B{batch}-")
    months.filter(month=JANUARY).update(certification_method=CertificationMethod.PAPER)
    months.filter(month=MARCH).delete()
    if transmit:
        february = months.filter(month=FEBRUARY)
        february.update(certification_method=CertificationMethod.PAPER)
        create_transmission(list(february.values_list("pk", flat=True)), actor=world.agent)


def dashboard(**filters: Any) -> str:
    """The dashboard with its filter and page parameters, as its form sends them."""
    return f"{reverse('funder:dashboard')}?{urlencode(filters)}"


def latest_transmission(world: World) -> str:
    """The last batch: 10 lines after the first dossiers, 990 after the second ones."""
    pk = Transmission.objects.order_by("-pk").values_list("pk", flat=True).first()
    return reverse("funder:transmission", args=[pk])


@dataclass(frozen=True)
class FunderPage:
    """A funder page: its address once the dossiers are in (read again after each batch),
    and texts that only the 1,000 dossiers put on it, so an empty page cannot pass."""

    path: Callable[[World], str]
    shows: tuple[str, ...]
    transmits: bool = False


# 1,000 dossiers plus the world's two touch March: 1,002 rows, 21 pages of 50.
FUNDER_PAGES: dict[str, FunderPage] = {
    "suivi": FunderPage(
        lambda world: reverse("funder:dashboard"),
        ("1002 mois de formation en mars 2026", "Page 1 sur 21"),
    ),
    "suivi, filtres": FunderPage(
        lambda world: dashboard(
            mois="2026-02",
            organisme=world.dossier.organisation.siret,
            statut=MonthStatus.TRANSMITTED.value,
        ),
        ("1000 mois pour ces filtres", "Page 1 sur 20"),
        transmits=True,
    ),
    "suivi, page 3": FunderPage(
        lambda world: dashboard(mois="2026-03", page=3), ("Page 3 sur 21",)
    ),
    "mois prêts à transmettre": FunderPage(
        lambda world: reverse("funder:transmissions"),
        ("1000 mois prêts à transmettre", "Page 1 sur 20", "— 990 mois"),
        transmits=True,
    ),
    "une transmission": FunderPage(
        latest_transmission, ("Mois transmis</dt><dd>990", "Bb-00989"), transmits=True
    ),
    # The world's first dossier, never entered, is late for January, February and March.
    "organismes en retard": FunderPage(
        lambda world: reverse("funder:late_list"), ("<td>1003</td>", "relancer-")
    ),
    "mois en retard d'un organisme": FunderPage(
        lambda world: reverse("funder:organisation_late", args=[world.dossier.organisation_id]),
        ("1003 mois en retard", "Bb-00989"),
    ),
}


@pytest.fixture
def mid_april(settings: Any) -> Iterator[None]:
    """15 April 2026: March is the dashboard's month and is late after 10 days."""
    settings.LATE_AFTER_DAYS = 10
    with time_machine.travel(date(2026, 4, 15), tick=False):
        yield


@pytest.mark.usefixtures("mid_april")
@pytest.mark.parametrize("page", sorted(FUNDER_PAGES))
def test_a_funder_page_runs_the_same_queries_for_10_and_1000_dossiers(
    world: World, client: Client, page: str
) -> None:
    client.force_login(world.user("agent"))
    spec = FUNDER_PAGES[page]
    add_funder_dossiers(world, 10, "a", transmit=spec.transmits)
    client.get(spec.path(world))  # warm the session and the caches
    small, _ = get_counted(client, spec.path(world))
    add_funder_dossiers(world, 990, "b", transmit=spec.transmits)
    large, text = get_counted(client, spec.path(world))
    assert large == small
    for shown in spec.shows:
        assert shown in text
