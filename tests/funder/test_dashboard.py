"""The agents' dashboard: a month's statuses, late organisations, filters, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from realisa.certificates import batch
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.funder.dashboard_glance import MonthProgress, delays, progress
from realisa.funder.late import late_by_organisation
from realisa.funder.month_overview import status_counts
from realisa.funder.payments import PaymentData, record_payment
from realisa.funder.transmission import create_transmission
from realisa.organisations.models import Organisation
from tests.conftest import World
from tests.factories import CertificateFactory, DossierFactory
from tests.funder.conftest import MARCH, certified

TODAY = date(2026, 4, 15)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen() -> object:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def march_world(world: World) -> None:
    """March 2026: one month transmitted, one certified, one entered, one locked by a
    payment, and two awaiting entry (the other organisation's dossier, and one starting
    on 2 March)."""
    org = world.dossier.organisation
    transmitted = certified(world.dossier, MARCH)
    create_transmission([transmitted.pk], actor=world.agent)
    certified(DossierFactory(organisation=org), MARCH)
    CertificateFactory(dossier=DossierFactory(organisation=org), month=MARCH)
    paid = DossierFactory(organisation=org)
    march = PaymentData(date(2026, 3, 1), date(2026, 3, 31), Decimal(500), date(2026, 4, 10), False)
    record_payment(paid, march, actor=world.agent)
    DossierFactory(organisation=org, start_date=date(2026, 3, 2), end_date=date(2026, 9, 30))


def counts(organisation_id: int | None = None) -> dict[str, int]:
    organisations = (
        None if organisation_id is None else Organisation.objects.filter(pk=organisation_id)
    )
    return {status.value: n for status, n in status_counts(MARCH, TODAY, organisations)}


def test_the_month_counts_every_status(world: World) -> None:
    march_world(world)
    assert counts() == {
        "not_open": 0,
        "awaiting_entry": 2,  # the other organisation's dossier, and the one starting 2 March
        "entered": 1,
        "certified": 1,
        "validated": 0,
        "contested": 0,
        "locked": 1,
        "interrupted": 0,
        "transmitted": 1,
    }


def test_a_month_not_yet_open_is_counted_as_such(world: World) -> None:
    assert {s.value: n for s, n in status_counts(date(2026, 4, 1), TODAY)}["not_open"] == 2


def test_the_organisation_filter_counts_only_its_dossiers(world: World) -> None:
    march_world(world)
    assert counts(world.other_dossier.organisation_id)["awaiting_entry"] == 1
    assert sum(counts(world.other_dossier.organisation_id).values()) == 1


def test_the_organisation_is_typed_by_name_or_siret(world: World, agent_client: Client) -> None:
    march_world(world)
    other = world.other_dossier.organisation
    # a name matches as a part of a name (« Organisme 1 » is also in « Organisme 12 »); a
    # SIRET or its SIREN, from its start
    for typed in (other.siret[:9], other.siret):
        page = unescape(
            agent_client.get(
                reverse("funder:dashboard"), {"mois": "2026-03", "organisme": typed}
            ).content.decode()
        )
        assert f"— organismes « {typed} »" in page
        assert "1 mois pour ces filtres" in page, typed
        assert world.other_dossier.number in page and world.dossier.number not in page
    named = agent_client.get(
        reverse("funder:dashboard"), {"mois": "2026-03", "organisme": other.name.upper()}
    )
    assert world.other_dossier.number in named.content.decode()
    nobody = agent_client.get(reverse("funder:dashboard"), {"mois": "2026-03", "organisme": "zzz"})
    assert "Aucun" in unescape(nobody.content.decode())


def test_late_organisations_have_months_open_too_long(world: World, settings: object) -> None:
    settings.LATE_AFTER_DAYS = 10  # type: ignore[attr-defined]
    certified(world.dossier, date(2026, 1, 1))
    late = {org.pk: months for org, months in late_by_organisation(TODAY).items()}
    # The first organisation: February and March (March opened 15 days ago); January is certified.
    assert [m.period.month for m in late[world.dossier.organisation_id]] == [
        date(2026, 2, 1),
        MARCH,
    ]
    assert len(late[world.other_dossier.organisation_id]) == 3


def test_the_dashboard_shows_the_table_the_chart_and_the_late(
    world: World, agent_client: Client
) -> None:
    march_world(world)
    response = agent_client.get(reverse("funder:dashboard"), {"mois": "2026-03"})
    page = unescape(response.content.decode())
    assert "Statuts des certificats de mars 2026" in page
    assert '<svg class="status-chart" role="img"' in page
    assert page.count('class="chart-bar') == 9  # one bar per dashboard status
    assert "Organismes en retard" in page and world.other_dossier.organisation.name in page


def test_the_dashboard_filters_by_status(world: World, agent_client: Client) -> None:
    march_world(world)
    response = agent_client.get(
        reverse("funder:dashboard"), {"mois": "2026-03", "statut": MonthStatus.TRANSMITTED}
    )
    page = unescape(response.content.decode())
    assert "1 mois pour ces filtres" in page
    assert world.dossier.number in page


def test_the_export_streams_the_filtered_list(world: World, agent_client: Client) -> None:
    march_world(world)
    response = agent_client.get(
        reverse("funder:export"), {"mois": "2026-03", "statut": MonthStatus.TRANSMITTED}
    )
    assert response.streaming
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][:2] == [world.dossier.number, world.dossier.beneficiary.full_name]
    assert rows[1][5] == "Transmis" and rows[1][6] == "140,00"


def test_the_late_page_links_each_month(world: World, agent_client: Client) -> None:
    organisation = world.other_dossier.organisation
    page = agent_client.get(reverse("funder:organisation_late", args=[organisation.pk]))
    month = reverse("certificates:month", args=[world.other_dossier.number, 2026, 2])
    assert month in page.content.decode()


def listed(agent_client: Client, **query: str) -> list[str]:
    """The dossier numbers of « Liste des mois » for March 2026, in the page's order."""
    response = agent_client.get(reverse("funder:dashboard"), {"mois": "2026-03", **query})
    rows = response.content.decode().split('id="liste"', 1)[1]
    return [
        part.split('"', 1)[0].strip("/").rsplit("/", 1)[-1]
        for part in rows.split('<th scope="row"><a href="')[1:]
    ]


def test_the_list_is_searched_by_number_name_organisation_or_siret(
    world: World, agent_client: Client
) -> None:
    march_world(world)
    ours, theirs = world.dossier, world.other_dossier
    assert listed(agent_client, q=ours.number) == [ours.number]
    last_name = theirs.beneficiary.last_name
    assert listed(agent_client, q=last_name.lower()) == [theirs.number]
    assert set(listed(agent_client, q=theirs.organisation.siret[:9])) == {theirs.number}
    organisation_words = f"{ours.organisation.name} {ours.beneficiary.first_name}"
    assert ours.number in listed(agent_client, q=organisation_words)
    assert listed(agent_client, q="personne-de-ce-nom") == []


def test_the_list_is_sorted_by_the_chosen_column(world: World, agent_client: Client) -> None:
    march_world(world)
    by_number = listed(agent_client, tri="dossier")
    assert by_number == sorted(by_number)
    assert listed(agent_client, tri="-dossier") == sorted(by_number, reverse=True)
    statuses = agent_client.get(
        reverse("funder:dashboard"), {"mois": "2026-03", "tri": "statut"}
    ).content.decode()
    assert statuses.index('status-awaiting_entry">') < statuses.index('status-transmitted">')


def test_the_pages_keep_the_filters(world: World, agent_client: Client) -> None:
    for _ in range(51):
        DossierFactory(organisation=world.dossier.organisation)
    query = {"mois": "2026-03", "q": world.dossier.organisation.name, "tri": "dossier"}
    page = agent_client.get(reverse("funder:dashboard"), query).content.decode()
    assert "Page 1 sur 2" in page
    assert "?mois=2026-03&amp;q=" in page and "tri=dossier&amp;page=2" in page
    export = page.split('href="/financeur/suivi/export.csv', 1)[1].split('"', 1)[0]
    assert "q=" in export and "page=" not in export


def aware(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10))


def test_the_last_months_progress_counts_each_step(world: World) -> None:
    march_world(world)
    validated = CertificateFactory(
        dossier=DossierFactory(organisation=world.dossier.organisation),
        month=MARCH,
        certified=True,
        certification_method="online",
        status=MonthStatus.VALIDATED,
        validated_at=timezone.now(),
    )
    assert validated.pk
    march, february, *_ = progress(MARCH, TODAY)
    assert march == MonthProgress(
        MARCH, expected=6, entered=4, paper=2, online=1, validated=1, contested=0, transmitted=1
    )
    assert february.month == date(2026, 2, 1) and february.entered == 0
    assert [row.month for row in progress(MARCH, TODAY)][-1] == date(2025, 10, 1)


def test_the_delays_name_the_slowest_organisation_first(world: World) -> None:
    # March closes on the 31st: ours certified one month on 3 April and one on 11 April;
    # the other organisation's month still waits (15 days on 15 April).
    org = world.dossier.organisation
    for day in (3, 11):
        certified(DossierFactory(organisation=org), MARCH, certified_at=aware(2026, 4, day))
    found = delays(MARCH, TODAY)
    ours = next(d for d in found if d.organisation == org.name)
    theirs = next(d for d in found if d.organisation == world.other_dossier.organisation.name)
    assert (ours.certified, ours.median_days, ours.median_text) == (2, 7, "7 jours")
    assert (theirs.certified, theirs.waiting, theirs.longest_wait) == (0, 1, 15)


def test_the_dashboard_shows_the_glance_and_the_chart_in_words(
    world: World, agent_client: Client
) -> None:
    march_world(world)
    page = unescape(
        agent_client.get(reverse("funder:dashboard"), {"mois": "2026-03"}).content.decode()
    )
    assert "Avancement des derniers mois" in page and "Délai de certification par organisme" in page
    description = page.split('<desc id="graphique-texte">', 1)[1].split("</desc>", 1)[0]
    assert "En attente de la saisie de l'organisme : 2 ;" in description
    assert description.endswith("Transmis : 1.")


def test_the_delays_come_after_the_page_or_as_a_page_of_their_own(
    world: World, agent_client: Client
) -> None:
    org = world.dossier.organisation
    certified(DossierFactory(organisation=org), MARCH, certified_at=aware(2026, 4, 3))
    dashboard = agent_client.get(reverse("funder:dashboard"), {"mois": "2026-03"})
    panel = f'hx-get="{reverse("funder:delays")}?mois=2026-03" hx-trigger="load"'
    assert panel in dashboard.content.decode()
    as_htmx = agent_client.get(
        reverse("funder:delays"), {"mois": "2026-03"}, HTTP_HX_REQUEST="true"
    )
    fragment = unescape(as_htmx.content.decode())
    assert "<html" not in fragment and f'<th scope="row">{org.name}</th>' in fragment
    assert "<td>3 jours</td>" in fragment
    alone = unescape(
        agent_client.get(reverse("funder:delays"), {"mois": "2026-03"}).content.decode()
    )
    assert "<h1>Délai de certification par organisme" in alone and "<td>3 jours</td>" in alone


def test_the_dashboard_says_how_far_the_month_start_batch_is(
    world: World, agent_client: Client
) -> None:
    march_world(world)
    pending = batch.missing(date(2026, 3, 1))
    assert pending, "the world's March certificates have no PDF yet"
    total = Certificate.objects.filter(month=date(2026, 3, 1)).count()

    def notice() -> str:
        page = agent_client.get(reverse("funder:dashboard"), {"mois": "2026-03"})
        return unescape(page.content.decode())

    made = total - len(pending)
    assert (
        f"Lot de PDF de mars 2026 : {made} PDF {'faits' if made > 1 else 'fait'} sur {total} "
        f"certificat{'s' if total > 1 else ''}, {len(pending)} en attente"
    ) in notice()
    for pk in pending:
        batch.generate_missing(pk)
    assert "Lot de PDF" not in notice()
