"""« Importer des heures » as an organisation's member uses it: upload, preview, the two
boxes ticked once, « Importer »."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.rules import Hours
from tests.certificates.conftest import HOUR, MARCH, make_online_ready
from tests.conftest import World

PAGE = "/certificats/import-heures/"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def upload(client: Client, content: bytes, name: str = "heures.csv") -> tuple[int, str, str]:
    """Preview a file: the status, the page's text and the token « Importer » sends."""
    response = client.post(PAGE, {"file": SimpleUploadedFile(name, content)})
    token = re.search(r'name="preview" value="([^"]+)"', response.text)
    return response.status_code, text_of(response.text), token[1] if token else ""


def march_file(world: World, centre: str = "70") -> bytes:
    return (
        f"dossier;mois;centre;stage;absence\n{world.dossier.number};03/2026;{centre};0;7\n".encode()
    )


@pytest.fixture
def member(client: Client, world: World) -> Client:
    client.force_login(world.of_user)
    return client


def test_the_preview_shows_each_month_then_importer_enters_them(
    member: Client, world: World
) -> None:
    status, text, token = upload(member, march_file(world))
    assert status == 200 and token
    assert "Aperçu de l'import" in text and "1 mois à enregistrer, 0 inchangé." in text
    assert f"Ligne 2 — {world.dossier.number}" in text and "mars 2026 : à enregistrer" in text
    assert "Saisie : 70 h en centre, 0 h en stage, 7 h d'absence" in text
    assert not Certificate.objects.exists()  # nothing before « Importer »
    response = member.post(PAGE, {"preview": token, "certifies_entry": "on"}, follow=True)
    assert "Import terminé : 1 mois enregistré, 0 inchangé." in text_of(response.text)
    march = Certificate.objects.get(dossier=world.dossier, month=MARCH)
    assert march.centre_minutes == 70 * HOUR and march.entered_by == world.of_user


def test_importer_without_the_box_shows_the_preview_again_and_writes_nothing(
    member: Client, world: World
) -> None:
    _, _, token = upload(member, march_file(world))
    response = member.post(PAGE, {"preview": token})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "Cochez « Je certifie la saisie des heures » pour valider." in text
    assert "Aperçu de l'import" in text and 'name="preview"' in response.text
    assert not Certificate.objects.exists()


def test_the_ip_box_is_required_of_a_person_who_may_certify_online(
    member: Client, world: World
) -> None:
    make_online_ready(world.dossier.organisation)
    world.of_user.can_certify = True
    world.of_user.save()
    _, _, token = upload(member, march_file(world))
    refused = member.post(PAGE, {"preview": token, "certifies_entry": "on"})
    assert refused.status_code == 422
    assert "J'accepte que mon adresse IP soit utilisée » : elle est obligatoire" in text_of(
        refused.text
    )
    member.post(PAGE, {"preview": token, "certifies_entry": "on", "accepts_ip_use": "on"})
    march = Certificate.objects.get(dossier=world.dossier, month=MARCH)
    assert march.accepts_ip_use and march.entered_ip


def test_a_refused_file_offers_no_importer_and_says_why(member: Client, world: World) -> None:
    status, text, token = upload(member, march_file(world, centre="7h75"))
    assert status == 200 and not token
    assert "Fichier refusé" in text and "Ligne 2 : heures en centre : « 7h75 »" in text


def test_a_month_changed_since_the_preview_is_refused_at_importer(
    member: Client, world: World
) -> None:
    _, _, token = upload(member, march_file(world))
    entry = HoursEntry(hours=Hours(10 * HOUR), certifies_entry=True)
    enter_hours(world.dossier, MARCH, actor=world.of_admin, entry=entry, expected_version=0)
    response = member.post(PAGE, {"preview": token, "certifies_entry": "on"})
    assert response.status_code == 409
    assert "Ces heures ont été modifiées entre-temps" in text_of(response.text)
    assert Certificate.objects.get(dossier=world.dossier, month=MARCH).centre_minutes == 600


def test_a_token_of_another_person_or_a_forged_one_is_refused(client: Client, world: World) -> None:
    client.force_login(world.of_user)
    _, _, token = upload(client, march_file(world))
    client.force_login(world.of_admin)
    for forged in (token, token[:-2] + "xx"):
        response = client.post(PAGE, {"preview": forged, "certifies_entry": "on"}, follow=True)
        assert "L'aperçu a expiré (une heure)" in text_of(response.text)
    assert not Certificate.objects.exists()


def test_an_xlsx_named_csv_is_read_by_its_content(member: Client, world: World) -> None:
    from realisa.certificates.hours_file import Layout, template_xlsx  # the template's example

    status, text, _ = upload(member, template_xlsx(Layout.MONTHLY), name="heures.csv")
    assert status == 200
    assert "Le dossier « FPE-2026-0001 » n'est pas un dossier de votre organisme." in text


@pytest.mark.parametrize("layout", ["mois", "jour"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_templates_download(member: Client, layout: str, kind: str) -> None:
    response = member.get(reverse("certificates:hours_import_template", args=[layout, kind]))
    assert response.status_code == 200
    assert f'filename="modele-heures-par-{layout}.{kind}"' in response["Content-Disposition"]
    assert (
        member.get(reverse("certificates:hours_import_template", args=["an", kind])).status_code
        == 404
    )


def test_a_file_above_one_megabyte_is_refused_with_its_reason(member: Client) -> None:
    response = member.post(PAGE, {"file": SimpleUploadedFile("gros.csv", b"x" * (1024 * 1024 + 1))})
    assert response.status_code == 422
    assert "Le fichier dépasse 1 Mo : découpez-le." in text_of(response.text)
