"""Bad input gets a 4xx with a French message (a page, or an RFC 9457 problem on the API),
never a 500: out-of-range numbers in a month's URL, a NUL character anywhere (PostgreSQL
refuses it in text), an over-long username at login, a broken seal on the public
verification page, a body too large for the API."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from realisa.demo.files import one_page_pdf
from realisa.documents.sealing import seal_pdf
from realisa.webhooks.models import Webhook
from tests.api.conftest import raw_token
from tests.conftest import World

PROBLEM = "application/problem+json"
NUL_REFUSED = "Un caractère nul (U+0000) a été envoyé"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The API and the verification page count requests in the cache."""
    cache.clear()


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_token(user)}"}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    return body


# -- Out-of-range numbers in a month's URL ----------------------------------------------

HUGE = ["2147483648", "9" * 20]


@pytest.mark.parametrize("year", HUGE)
@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("of_admin", "/certificats/{number}/{year}/1/"),
        ("of_admin", "/certificats/{number}/{year}/1/saisie/"),
        ("agent", "/financeur/journal/{number}/{year}/1/"),
        ("agent", "/financeur/rouvrir/{number}/{year}/1/"),
    ],
)
def test_a_huge_year_in_a_month_url_is_page_not_found(
    world: World, role: str, page: str, year: str
) -> None:
    url = page.format(number=world.dossier.number, year=year)

    response = logged_in(world.user(role)).get(url)

    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_a_twenty_digit_month_in_a_month_url_is_page_not_found(world: World) -> None:
    url = f"/certificats/{world.dossier.number}/2026/{'1' * 20}/"

    response = logged_in(world.of_admin).get(url)

    assert response.status_code == 404
    assert "Page introuvable" in response.text


# -- A NUL character, anywhere -------------------------------------------------------------


def test_a_nul_in_a_search_is_refused_with_a_french_page(world: World) -> None:
    response = logged_in(world.of_admin).get("/dossiers/", {"q": "Martin\x00"})

    assert response.status_code == 400
    assert NUL_REFUSED in html.unescape(response.text)


def test_a_nul_in_a_posted_field_is_refused_and_nothing_is_saved(world: World) -> None:
    before = world.of_admin.organisation.legal_representative
    data = {"legal_representative": "Sophie\x00Lambert", "legal_representative_title": "X"}

    response = logged_in(world.of_admin).post("/organisme/identite/", data)

    assert response.status_code == 400
    assert NUL_REFUSED in html.unescape(response.text)
    world.of_admin.organisation.refresh_from_db()
    assert world.of_admin.organisation.legal_representative == before


def test_a_nul_in_an_api_filter_is_a_problem(world: World) -> None:
    response = Client().get(
        "/api/v1/dossiers", {"number": "T-\x00"}, headers=bearer(world.of_admin)
    )

    body = problem(response, 400)
    assert body["type"] == "urn:realisa:probleme:caractere-nul"
    assert NUL_REFUSED in body["detail"]


def test_a_nul_in_a_json_field_is_a_problem_and_no_webhook_is_registered(world: World) -> None:
    body = {
        "url": "https://erp.example.org/\u0000",
        "secret": "un-secret-bien-long-pour-signer",
        "events": ["certificate.entered"],
    }

    response = Client().post(
        "/api/v1/webhooks",
        json.dumps(body),
        content_type="application/json",
        headers=bearer(world.of_admin),
    )

    assert problem(response, 400)["type"] == "urn:realisa:probleme:caractere-nul"
    assert not Webhook.objects.exists()


# -- Login -----------------------------------------------------------------------------------


def test_a_300_character_username_is_refused_by_the_login_form(db: Any) -> None:
    response = Client().post("/connexion/", {"username": "a" * 300, "password": "faux"})

    assert response.status_code == 400
    assert "L'identifiant compte au plus 150 caractères." in html.unescape(response.text)


# -- The public verification page ----------------------------------------------------------


def free_object(pdf: bytes, number: int) -> bytes:
    """``pdf`` with object ``number`` marked free ("f" for "n") in its last cross-reference
    table: one byte, and the signature field's value now reads as null."""
    start = pdf.rindex(b"\nxref\n") + len(b"\nxref\n")
    offset, current = start, -1
    for line in pdf[start : pdf.index(b"trailer", start)].split(b"\n"):
        parts = line.split()
        if len(parts) == 2:
            current = int(parts[0])
        elif len(parts) == 3:
            if current == number:
                position = offset + line.rindex(b"n")
                return pdf[:position] + b"f" + pdf[position + 1 :]
            current += 1
        offset += len(line) + 1
    raise AssertionError(f"object {number} is not in the last cross-reference table")


def test_a_sealed_pdf_with_a_broken_signature_entry_is_said_unverifiable(
    client: Client, db: Any, own_seal: Path
) -> None:
    sealed = seal_pdf(
        one_page_pdf("Certificat"), appearance=None, reason="Essai", organisation="OF"
    ).pdf
    signature = int(re.search(rb"/V (\d+) 0 R", sealed).group(1))  # type: ignore[union-attr]
    broken = free_object(sealed, signature)

    response = client.post(
        "/documents/verifier/", {"file": SimpleUploadedFile("certificat.pdf", broken)}
    )

    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Ce fichier n'a pas été émis par le portail" in page
    assert "Ce fichier n'est pas un PDF lisible ou son sceau est abîmé." in page


# -- Too large a body for the API -----------------------------------------------------------


def test_a_20_mb_json_body_is_a_413_problem(world: World) -> None:
    body = json.dumps({"url": "https://erp.example.org/" + "a" * 20_000_000})

    response = Client().post(
        "/api/v1/webhooks", body, content_type="application/json", headers=bearer(world.of_admin)
    )

    assert problem(response, 413)["type"] == "urn:realisa:probleme:corps-trop-volumineux"


def test_a_20_mb_upload_is_a_413_problem(world: World) -> None:
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 20_000_000)
    url = f"/api/v1/dossiers/{world.dossier.number}/months/2026-03/signed-scan"

    response = Client().post(url, {"file": scan}, headers=bearer(world.of_admin))

    assert problem(response, 413)["type"] == "urn:realisa:probleme:corps-trop-volumineux"


def test_a_form_too_large_for_a_page_is_refused_in_french(db: Any) -> None:
    body = "username=" + "a" * 3_000_000 + "&password=faux"

    response = Client().post("/connexion/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "Requête refusée" in response.content.decode()


# -- Found by the fuzz (tests/fuzz) -----------------------------------------------------------


@pytest.mark.parametrize("month", ["2147483648-01", "2026-99999999999999999999"])
def test_a_huge_month_in_the_dashboard_filter_is_refused_next_to_the_field(
    world: World, month: str
) -> None:
    response = logged_in(world.agent).get("/financeur/suivi/", {"mois": month})

    assert response.status_code == 200
    assert "Indiquez un mois au format AAAA-MM." in html.unescape(response.text)


@pytest.mark.parametrize("content", [b"dossier;debut\n\x8d\x8f", b"\xff\xfe\x81"])
def test_a_csv_in_neither_utf8_nor_windows_1252_is_refused_with_its_reason(
    world: World, content: bytes
) -> None:
    upload = SimpleUploadedFile("reglements.csv", content)

    response = logged_in(world.agent).post("/financeur/reglements/import/", {"file": upload})

    assert response.status_code == 409
    assert "La première ligne doit nommer les colonnes" in html.unescape(response.text)


@pytest.mark.parametrize("ticked", ["9" * 20, "²"])
def test_a_ticked_month_that_is_no_id_is_ignored(world: World, ticked: str) -> None:
    response = logged_in(world.agent).post(
        "/financeur/transmissions/creer/", {"certificat": [ticked]}
    )

    assert response.status_code == 302
    assert response["Location"] == "/financeur/transmissions/"


def test_a_csv_line_with_a_nul_is_refused_with_its_number(world: World) -> None:
    content = (
        b"dossier;debut;fin;montant;date;avance\n"
        b"T-\x0001;01/02/2026;28/02/2026;100;01/03/2026;non\n"
    )
    upload = SimpleUploadedFile("reglements.csv", content)

    response = logged_in(world.agent).post("/financeur/reglements/import/", {"file": upload})

    assert response.status_code == 409
    assert "Cette ligne contient un caractère nul (U+0000)." in html.unescape(response.text)


@pytest.mark.parametrize("line", [b"T-00\r01;01/02/2026", b"T-" + b"0" * 200_000 + b";01/02/2026"])
def test_a_csv_the_csv_module_cannot_read_is_refused_with_its_reason(
    world: World, line: bytes
) -> None:
    content = b"dossier;debut;fin;montant;date;avance\n" + line
    upload = SimpleUploadedFile("reglements.csv", content)

    response = logged_in(world.agent).post("/financeur/reglements/import/", {"file": upload})

    assert response.status_code == 409
    assert "Ligne 2 : " in html.unescape(response.text)
