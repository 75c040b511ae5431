"""« Cofinancement européen (FSE+) »: set by the funder (its page, its import, its API),
shown with the dossier's facts (the API: tests/api/test_funder_dossiers.py)."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from realisa.dossiers.models import Dossier
from realisa.funder.dossier_data import Outcome
from realisa.funder.dossier_file import NAMES, template_csv
from realisa.funder.dossier_import import run
from tests.conftest import World
from tests.funder.test_dossier_edit import posted
from tests.funder.test_dossier_import import csv_of, line
from tests.retention.conftest import paid

pytestmark = pytest.mark.django_db
NUMBER = "PTP-2027-0001"


def test_the_import_reads_the_optional_column(world: World) -> None:
    without = [name for name in NAMES if name != "cofinancement_europeen"]
    run(csv_of(line(), header=without), actor=world.agent, commit=True)
    assert Dossier.objects.get(number=NUMBER).european_cofunding is False
    report = run(csv_of(line(cofinancement_europeen="oui")), actor=world.agent, commit=True)
    assert [str(change) for change in report.lines[0].changes] == [
        "cofinancement européen (FSE+) : non → oui"
    ]
    assert Dossier.objects.get(number=NUMBER).european_cofunding is True
    # an empty cell, or a file without the column, keeps what is recorded
    for content in (csv_of(line()), csv_of(line(), header=without)):
        assert run(content, actor=world.agent, commit=True).lines[0].outcome == Outcome.UNCHANGED
    assert Dossier.objects.get(number=NUMBER).european_cofunding is True


def test_the_import_refuses_another_word(world: World) -> None:
    report = run(csv_of(line(cofinancement_europeen="peut-être")), actor=world.agent, commit=False)
    assert report.lines[0].errors == [
        "cofinancement européen : « peut-être » (attendu « oui » ou « non »)."
    ]
    assert "cofinancement_europeen" in template_csv().decode("utf-8-sig")


def test_the_agent_sets_it_and_every_party_reads_it(world: World, client: Client) -> None:
    client.force_login(world.agent)
    edit = reverse("funder:dossier_edit", args=[world.dossier.number])
    assert "Cofinancement européen (FSE+)" in unescape(client.get(edit).text)
    client.post(edit, posted(world, european_cofunding="on"), follow=True)
    world.dossier.refresh_from_db()
    assert world.dossier.european_cofunding is True
    client.force_login(world.beneficiary)
    page = unescape(client.get(reverse("dossiers:detail", args=[world.dossier.number])).text)
    assert "<dt>Cofinancement européen (FSE+)</dt><dd>Oui</dd>" in page


def test_the_facts_say_until_when_the_files_are_kept(world: World, client: Client) -> None:
    client.force_login(world.employer)
    url = reverse("dossiers:detail", args=[world.dossier.number])
    assert "tant que le dossier n'a aucun règlement" in unescape(client.get(url).text)
    on = paid(world.dossier, years_ago=1)
    page = unescape(client.get(url).text)
    assert (
        f"certificats jusqu'au 31/12/{on.year + 3}, certificats signés et feuilles "
        f"d'émargement jusqu'au 31/12/{on.year + 6}"
    ) in page
    world.dossier.european_cofunding = True
    world.dossier.save()
    assert f"jusqu'au 31/12/{on.year + 10}, certificats signés" in unescape(client.get(url).text)
