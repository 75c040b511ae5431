"""The public verification page: is this reference, or this exact file, issued here?"""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from realisa.choices import VersionReason
from realisa.documents.forms import MAX_UPLOAD_BYTES
from realisa.documents.models import CertificateVersion
from realisa.documents.ratelimit import LOOKUPS
from realisa.documents.services import generate_version
from tests.documents.conftest import make_certificate

VERIFY = "/documents/verifier/"


@pytest.fixture
def version(db: None) -> CertificateVersion:
    return generate_version(make_certificate(), reason=VersionReason.ENTRY, actor=None)


def downloaded(version: CertificateVersion) -> bytes:
    with version.file.open("rb") as handle:
        return handle.read()


def upload(client: Client, content: bytes, name: str = "certificat.pdf") -> str:
    response = client.post(VERIFY, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.text


def test_the_untouched_file_is_recognised(client: Client, version: CertificateVersion) -> None:
    page = upload(client, downloaded(version))
    assert "Ce fichier est authentique" in page
    assert version.reference in page
    assert version.certificate.dossier.number in page
    assert "Janvier 2026" in page
    assert "140 h 30" in page
    assert "Heures saisies, en attente de certification" in page


@pytest.mark.parametrize("where", [0.3, 0.5, 0.9])
def test_a_changed_byte_is_reported_as_not_issued(
    client: Client, version: CertificateVersion, where: float
) -> None:
    content = bytearray(downloaded(version))
    position = int(len(content) * where)
    content[position] = (content[position] + 1) % 256
    page = upload(client, bytes(content))
    assert "Ce fichier n'a pas été émis par le portail" in page
    assert version.reference not in page


def test_the_page_shows_nothing_more_personal_than_the_certificate(
    client: Client, version: CertificateVersion
) -> None:
    page = upload(client, downloaded(version))
    dossier = version.certificate.dossier
    for private in (dossier.beneficiary.email, dossier.organisation.siret, "Martin"):
        assert private not in page


def test_the_qr_code_page_shows_the_version_of_the_reference(
    client: Client, version: CertificateVersion
) -> None:
    response = client.get(reverse("documents:verify_reference", args=[version.reference]))
    assert response.status_code == 200
    assert f"Un certificat a bien été émis sous la référence {version.reference}" in response.text
    assert version.certificate.dossier.number in response.text


def test_a_typed_reference_is_looked_up(client: Client, version: CertificateVersion) -> None:
    typed = version.reference.lower().replace("-", " ")
    response = client.post(VERIFY, {"reference": typed})
    assert "Un certificat a bien été émis sous la référence" in response.text


def test_an_unknown_reference_is_said_so(client: Client, db: None) -> None:
    response = client.get(reverse("documents:verify_reference", args=["RC-0000-0000-0000"]))
    assert "Aucun certificat n'a été émis sous la référence « RC-0000-0000-0000 »" in response.text


def test_an_earlier_version_says_that_a_newer_one_exists(
    client: Client, version: CertificateVersion
) -> None:
    generate_version(version.certificate, reason=VersionReason.CERTIFICATION, actor=None)
    page = upload(client, downloaded(version))
    assert "Ce fichier est authentique" in page
    assert "Remplacé par la version 2 du " in page


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field(client: Client, db: None) -> None:
    response = client.post(VERIFY, {"file": SimpleUploadedFile("x.pdf", b"<html>")})
    assert response.status_code == 400
    assert "Ce fichier n'est pas un PDF." in html.unescape(response.text)


def test_a_file_too_big_is_refused(client: Client, db: None) -> None:
    content = b"%PDF-" + b"0" * MAX_UPLOAD_BYTES
    response = client.post(VERIFY, {"file": SimpleUploadedFile("x.pdf", content)})
    assert response.status_code == 400
    assert "Le fichier dépasse 10 Mo" in html.unescape(response.text)


def test_an_empty_form_asks_for_a_reference_or_a_file(client: Client, db: None) -> None:
    response = client.post(VERIFY, {"reference": "  "})
    assert response.status_code == 400
    assert "Saisissez la référence du certificat, ou déposez son fichier PDF ou une photo" in (
        html.unescape(response.text)
    )


def test_the_page_is_public(client: Client, db: None) -> None:
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert "<h1>Vérifier un certificat de réalisation</h1>" in response.text


def test_lookups_are_limited_per_address(client: Client, version: CertificateVersion) -> None:
    url = reverse("documents:verify_reference", args=[version.reference])
    for _ in range(LOOKUPS):
        assert client.get(url).status_code == 200
    response = client.post(VERIFY, {"reference": version.reference})
    assert response.status_code == 429
    assert "Trop de vérifications ont été demandées depuis votre adresse" in response.text
    assert version.certificate.dossier.number not in response.text
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get(url).status_code == 200
