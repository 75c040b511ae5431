"""Downloads and pages of the certificates, each only for those who may see them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from realisa.choices import VersionReason
from realisa.documents.models import CertificateVersion
from realisa.documents.services import generate_version
from tests.conftest import World
from tests.factories import CertificateFactory

INSIDERS = ["agent", "of_admin", "of_user", "beneficiary", "employer"]
OUTSIDERS = ["other_of_admin", "other_of_user", "other_beneficiary", "other_employer"]


@pytest.fixture
def version(world: World) -> CertificateVersion:
    certificate = CertificateFactory(dossier=world.dossier, certified=True)
    return generate_version(certificate, reason=VersionReason.CERTIFICATION, actor=world.of_user)


@pytest.mark.parametrize("who", ["beneficiary", "employer"])
def test_a_draft_stays_with_the_organisation_until_it_is_certified(
    world: World, client: Client, who: str
) -> None:
    certificate = CertificateFactory(dossier=world.dossier)  # hours entered, not certified
    draft = generate_version(certificate, reason=VersionReason.ENTRY, actor=world.of_user)
    client.force_login(world.user(who))
    for url in urls(draft):
        assert client.get(url).status_code == 404, url
    assert world.dossier.number not in client.get(reverse("certificates:mine")).text


def urls(version: CertificateVersion) -> list[str]:
    certificate = version.certificate
    return [
        reverse("documents:download", args=[certificate.pk]),
        reverse("documents:download_version", args=[version.pk]),
        reverse("documents:history", args=[certificate.pk]),
    ]


@pytest.mark.parametrize("who", INSIDERS)
def test_those_who_see_the_dossier_open_its_certificate(
    world: World, client: Client, version: CertificateVersion, who: str
) -> None:
    client.force_login(world.user(who))
    for url in urls(version):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(
    world: World, client: Client, version: CertificateVersion, who: str
) -> None:
    client.force_login(world.user(who))
    for url in urls(version):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, version: CertificateVersion
) -> None:
    for url in urls(version):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_pdf_comes_as_an_attachment_with_its_french_name(
    world: World, client: Client, version: CertificateVersion
) -> None:
    client.force_login(world.beneficiary)
    certificate = version.certificate
    response = client.get(reverse("documents:download", args=[certificate.pk]))
    name = f"certificat-realisation-{world.dossier.number}-{certificate.month:%Y-%m}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_latest_version_is_the_one_downloaded(
    world: World, client: Client, version: CertificateVersion
) -> None:
    certificate = version.certificate
    newer = generate_version(certificate, reason=VersionReason.CERTIFICATION, actor=None)
    client.force_login(world.of_user)
    response = client.get(reverse("documents:download", args=[certificate.pk]))
    with newer.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    history = client.get(reverse("documents:history", args=[certificate.pk])).text
    assert "n° 2 (actuelle)" in history
    assert "n° 1" in history
    assert reverse("documents:download_version", args=[version.pk]) in history


def test_a_certificate_without_pdf_has_nothing_to_download(world: World, client: Client) -> None:
    certificate = CertificateFactory(dossier=world.dossier)
    client.force_login(world.of_user)
    assert client.get(reverse("documents:download", args=[certificate.pk])).status_code == 404


@pytest.mark.parametrize("who", ["beneficiary", "employer"])
def test_my_certificates_lists_mine_with_their_pdf(
    world: World, client: Client, version: CertificateVersion, who: str
) -> None:
    CertificateFactory(dossier=world.other_dossier)
    generate_version(
        CertificateFactory(
            dossier=world.other_dossier,
            month=world.other_dossier.start_date.replace(day=1, month=2),
        ),
        reason=VersionReason.ENTRY,
        actor=None,
    )
    client.force_login(world.user(who))
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 200
    assert "<h1>Mes certificats</h1>" in response.text
    assert world.dossier.number in response.text
    assert world.other_dossier.number not in response.text
    certificate = version.certificate
    assert reverse("documents:download", args=[certificate.pk]) in response.text
    mine = 'href="/certificats/mes-certificats/" aria-current="page">Mes certificats'
    assert mine in response.text


def test_my_certificates_says_when_there_is_none_yet(world: World, client: Client) -> None:
    client.force_login(world.beneficiary)
    response = client.get(reverse("certificates:mine"))
    assert "Aucun certificat pour le moment" in response.text
