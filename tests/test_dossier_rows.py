"""« Mes dossiers »: its rows, read as values, print what the dossier's own model says."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from realisa.choices import Civility
from realisa.dossiers.models import Dossier, short_dates
from realisa.dossiers.queries import PAGE_SIZE, dossier_page
from tests.conftest import World
from tests.factories import BeneficiaryFactory, CertificateFactory, DossierFactory


@pytest.mark.parametrize("organisation", [True, False])
def test_a_row_prints_what_the_dossier_model_prints(world: World, organisation: bool) -> None:
    DossierFactory(
        organisation=world.dossier.organisation,
        beneficiary=BeneficiaryFactory(civility=Civility.M, first_name="Émile", last_name="Zola"),
        number="T-2026 é 1",  # quoted in its link as reverse() quotes it
        start_date=date(2026, 9, 1),
        end_date=date(2027, 2, 26),
    )
    dossiers = Dossier.objects.visible_to(world.agent)

    page = dossier_page(dossiers, "1", organisation=organisation)

    models = list(dossiers.select_related("beneficiary", "organisation"))
    assert [row.number for row in page.object_list] == [dossier.number for dossier in models]
    for row, dossier in zip(page.object_list, models, strict=True):
        assert row.url == reverse("dossiers:certificates", args=[dossier.number])
        assert row.beneficiary == dossier.beneficiary.formal_name
        assert row.organisation == (dossier.organisation.name if organisation else "")
        assert row.training_title == dossier.training_title
        assert row.dates == dossier.dates
    zola = page.object_list[0]  # the latest start comes first
    assert (zola.beneficiary, zola.dates) == ("M. Émile ZOLA", "du 01/09/2026 au 26/02/2027")


def test_the_list_pages_its_rows_and_counts_them_all(world: World, client: Client) -> None:
    organisation = world.dossier.organisation
    DossierFactory.create_batch(PAGE_SIZE + 4, organisation=organisation)
    client.force_login(world.of_user)

    first = client.get(reverse("dossiers:list"))
    last = client.get(reverse("dossiers:list"), {"page": "2"})

    assert f"{PAGE_SIZE + 5} dossiers" in first.text
    assert first.text.count('<tr>\n      <td><a href="/dossiers/') == PAGE_SIZE
    assert last.text.count('<tr>\n      <td><a href="/dossiers/') == 5
    assert "Page 2 sur 2" in last.text
    assert '<th scope="col">Organisme</th>' not in first.text  # its own dossiers only


@given(
    st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.dates(date(1900, 1, 1), date(2200, 12, 31))
)
def test_short_dates_are_what_strftime_writes(start: date, end: date) -> None:
    assert short_dates(start, end) == f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


def test_the_rows_made_by_jinja2_escape_what_people_typed(world: World, client: Client) -> None:
    world.dossier.beneficiary.last_name = "<script>alert(1)</script>"
    world.dossier.beneficiary.save()
    world.of_user.first_name = '<img src=x onerror="alert(2)">'
    world.of_user.save()
    CertificateFactory(dossier=world.dossier, entered_by=world.of_user)
    client.force_login(world.of_user)

    listed = client.get(reverse("dossiers:list")).text
    months = client.get(reverse("dossiers:certificates", args=[world.dossier.number])).text

    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in listed and "<SCRIPT>" not in listed
    assert "par &lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in months
    assert "<img src=x" not in months
