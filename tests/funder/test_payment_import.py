"""Importing payments from a CSV file: every line valid, or nothing imported."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from realisa.dossiers.models import Payment
from realisa.funder.payment_import import ImportRefused, LineError, import_payments
from tests.conftest import World

HEADER = "dossier;debut;fin;montant;date;avance"


def csv_file(world: World, *lines: str) -> bytes:
    body = "\r\n".join([HEADER, *lines]).replace("{n}", world.dossier.number)
    return ("\ufeff" + body).encode("utf-8")


def test_a_valid_file_imports_every_line(world: World) -> None:
    content = csv_file(
        world,
        "{n};01/02/2026;28/02/2026;1 200,00;20/03/2026;non",
        "{n};01/03/2026;31/03/2026;800,50;20/04/2026;oui",
    )
    payments = import_payments(content, actor=world.agent)
    assert len(payments) == 2
    assert sorted(Payment.objects.values_list("is_advance", flat=True)) == [False, True]


def test_a_bad_line_refuses_the_whole_file_and_names_its_line(world: World) -> None:
    content = csv_file(
        world,
        "{n};01/02/2026;28/02/2026;1200;20/03/2026;non",
        "{n};01/03/2026;31/03/2026;douze;20/04/2026;non",
        "INCONNU;01/03/2026;31/03/2026;10;20/04/2026;non",
        "{n};01/04/2026;30/04/2026;900;20/05/2026;non",
    )
    with pytest.raises(ImportRefused) as refused:
        import_payments(content, actor=world.agent)
    assert refused.value.errors == [
        LineError(3, "« douze » n'est pas un montant."),
        LineError(4, "Le dossier « INCONNU » n'existe pas."),
    ]
    assert not Payment.objects.exists()


def test_importing_the_same_file_twice_never_duplicates(world: World) -> None:
    content = csv_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non")
    import_payments(content, actor=world.agent)
    with pytest.raises(ImportRefused) as refused:
        import_payments(content, actor=world.agent)
    assert refused.value.errors == [
        LineError(2, "Ce règlement est déjà enregistré sur ce dossier.")
    ]
    assert Payment.objects.count() == 1


def test_a_file_without_its_header_is_refused(world: World) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_payments(b"T-1;01/02/2026;28/02/2026;1200;20/03/2026;non", actor=world.agent)
    assert refused.value.errors[0].line == 1


def test_the_import_page_lists_the_refused_lines(world: World, agent_client: Client) -> None:
    content = csv_file(
        world,
        "{n};01/02/2026;28/02/2026;1200;20/03/2026;non",
        "{n};32/02/2026;28/02/2026;1;20/03/2026;non",
    )
    upload = SimpleUploadedFile("reglements.csv", content, content_type="text/csv")
    response = agent_client.post(reverse("funder:payment_import"), {"file": upload})
    page = unescape(response.content.decode())
    assert response.status_code == 409
    assert "Aucune ligne n'a été importée" in page
    assert "Ligne 3 : « 32/02/2026 » n'est pas une date (JJ/MM/AAAA)." in page
    assert not Payment.objects.exists()


def test_the_import_page_reports_how_many_were_imported(world: World, agent_client: Client) -> None:
    upload = SimpleUploadedFile(
        "r.csv", csv_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non")
    )
    response = agent_client.post(reverse("funder:payment_import"), {"file": upload}, follow=True)
    assert "1 règlement importé." in unescape(response.content.decode())
