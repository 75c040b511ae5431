"""The rows of « Mes dossiers » and of a dossier's months: what each shows, where its
links lead, and that what people typed comes out escaped."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from realisa.choices import Civility, VersionReason
from realisa.documents.services import generate_version
from realisa.dossiers.models import short_dates
from realisa.dossiers.queries import PAGE_SIZE
from tests.conftest import World
from tests.factories import BeneficiaryFactory, CertificateFactory, DossierFactory

# A number as an organisation may type it: a space and an accent, quoted in its links.
NUMBER = "T-2026 é 1"


def rows_of(page: str) -> list[str]:
    """The table's body rows, as the page sends them."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, flags=re.DOTALL)


@pytest.mark.parametrize(("role", "shows_organisation"), [("agent", True), ("of_user", False)])
def test_a_row_shows_the_dossier_and_leads_to_its_months(
    world: World, client: Client, role: str, shows_organisation: bool
) -> None:
    zola = DossierFactory(
        organisation=world.dossier.organisation,
        beneficiary=BeneficiaryFactory(civility=Civility.M, first_name="Émile", last_name="Zola"),
        number=NUMBER,
        start_date=date(2099, 9, 1),  # the latest start: the first row
        end_date=date(2100, 2, 26),
    )
    client.force_login(world.user(role))

    first = rows_of(client.get(reverse("dossiers:list")).text)[0]

    months = "/certificats/T-2026%20%C3%A9%201/"
    assert f'<a href="{months}">{NUMBER}</a>' in first
    assert "<td>M. Émile ZOLA</td>" in first
    assert (f"<td>{zola.organisation.name}</td>" in first) is shows_organisation
    assert f"<td>{zola.training_title}</td>" in first
    assert "<td>du 01/09/2099 au 26/02/2100</td>" in first
    followed = client.get(months)
    assert followed.status_code == 200
    assert f"Dossier {NUMBER}" in followed.text


def test_the_list_pages_its_rows_and_counts_them_all(world: World, client: Client) -> None:
    organisation = world.dossier.organisation
    DossierFactory.create_batch(PAGE_SIZE + 4, organisation=organisation)
    client.force_login(world.of_user)

    first = client.get(reverse("dossiers:list"))
    last = client.get(reverse("dossiers:list"), {"page": "2"})

    assert f"{PAGE_SIZE + 5} dossiers" in first.text
    assert len(rows_of(first.text)) == PAGE_SIZE
    assert len(rows_of(last.text)) == 5
    assert "Page 2 sur 2" in last.text
    assert '<th scope="col">Organisme</th>' not in first.text  # its own dossiers only


def test_a_month_row_leads_to_the_month_its_entry_and_its_pdf(world: World, client: Client) -> None:
    dossier = DossierFactory(
        organisation=world.dossier.organisation,
        number=NUMBER,
        start_date=date(2026, 1, 12),
        end_date=date(2026, 6, 19),
    )
    certificate = CertificateFactory(dossier=dossier, month=date(2026, 3, 1))
    generate_version(certificate, reason=VersionReason.ENTRY, actor=world.of_user)
    client.force_login(world.of_user)

    page = client.get(reverse("certificates:dossier", args=[NUMBER])).text

    march = next(row for row in rows_of(page) if 'id="mois-2026-03"' in row)
    base = "/certificats/T-2026%20%C3%A9%201/2026/3"
    assert f'href="{base}/saisie/"' in march
    assert f'href="{base}/"' in march
    assert f'href="/documents/certificats/{certificate.pk}/pdf/"' in march
    assert "Versions (" not in march  # one version: no history to open


@given(
    st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.dates(date(1900, 1, 1), date(2200, 12, 31))
)
def test_short_dates_are_what_strftime_writes(start: date, end: date) -> None:
    assert short_dates(start, end) == f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


def test_the_rows_escape_what_people_typed(world: World, client: Client) -> None:
    world.dossier.beneficiary.last_name = "<script>alert(1)</script>"
    world.dossier.beneficiary.save()
    world.of_user.first_name = '<img src=x onerror="alert(2)">'
    world.of_user.save()
    CertificateFactory(dossier=world.dossier, entered_by=world.of_user)
    client.force_login(world.of_user)

    listed = client.get(reverse("dossiers:list")).text
    months = client.get(reverse("certificates:dossier", args=[world.dossier.number])).text

    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in listed and "<SCRIPT>" not in listed
    assert "par &lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in months
    assert "<img src=x" not in months
