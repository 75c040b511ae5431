"""« Certifier en lot » on paper: signed scans matched to their month by the QR code
printed on the certificate, or chosen by hand, then certified one by one."""

from __future__ import annotations

import io
import re
from html import unescape

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.paper_batch import NO_QR, NOT_OURS
from realisa.certificates.rules import Hours
from realisa.choices import CertificationMethod, MonthStatus
from realisa.demo.files import one_page_pdf
from realisa.documents.services import latest_version
from tests.certificates.conftest import HOUR, MARCH
from tests.conftest import World

PAGE = reverse("certificates:batch_paper")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def entered(
    world: World, dossier: object = None, centre: int = 20, version: int = 0
) -> Certificate:
    entry = HoursEntry(hours=Hours(centre * HOUR, 7 * HOUR, HOUR), certifies_entry=True)
    user = world.of_user if dossier is None else world.other_of_user
    return enter_hours(
        dossier or world.dossier, MARCH, actor=user, entry=entry, expected_version=version
    ).certificate


def scanned(certificate: Certificate) -> bytes:
    """The certificate's latest PDF as a scanner gives it back: pictures of its pages."""
    version = latest_version(certificate)
    assert version is not None
    with version.file.open("rb") as handle:
        document = pypdfium2.PdfDocument(handle.read())
    pages = [
        document[i].render(scale=150 / 72).to_pil().convert("RGB") for i in range(len(document))
    ]
    document.close()
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def member(client: Client, world: World) -> Client:
    client.force_login(world.of_user)
    return client


def test_a_scan_is_matched_by_its_qr_code_and_certified_on_paper(
    member: Client, world: World
) -> None:
    march = entered(world)
    assert "Mars 2026" in text_of(member.get(PAGE).text)
    response = member.post(PAGE, {"scans": [upload("scan-mars.pdf", scanned(march))]})
    page = text_of(response.text)
    assert "1 mois certifié." in page
    assert f"scan-mars.pdf : dossier {world.dossier.number}, mars 2026 (QR code)" in page
    march.refresh_from_db()
    assert march.status == MonthStatus.CERTIFIED
    assert march.certification_method == CertificationMethod.PAPER and march.signed_scan
    assert "Aucun mois à certifier sur papier" in page


def test_a_scan_without_a_qr_code_is_refused_then_chosen_by_hand(
    member: Client, world: World
) -> None:
    march = entered(world)
    blank = one_page_pdf("Scan sans QR code")
    refused = text_of(member.post(PAGE, {"scans": [upload("illisible.pdf", blank)]}).text)
    assert f"illisible.pdf : {NO_QR}" in refused
    march.refresh_from_db()
    assert march.status == MonthStatus.ENTERED
    by_hand = text_of(member.post(PAGE, {f"scan-{march.pk}": upload("illisible.pdf", blank)}).text)
    assert "(choisi à la main)" in by_hand
    march.refresh_from_db()
    assert march.status == MonthStatus.CERTIFIED


def test_a_scan_of_an_earlier_version_is_refused_with_the_reason(
    member: Client, world: World
) -> None:
    march = entered(world)
    printed = scanned(march)
    entered(world, centre=21, version=1)  # the hours changed after printing
    page = text_of(member.post(PAGE, {"scans": [upload("ancien.pdf", printed)]}).text)
    assert "il a changé depuis" in page and "imprimez la nouvelle version" in page
    assert Certificate.objects.get(pk=march.pk).status == MonthStatus.ENTERED


def test_another_organisation_s_certificate_is_not_certified_here(
    member: Client, world: World
) -> None:
    theirs = entered(world, dossier=world.other_dossier)
    entered(world)
    page = text_of(member.post(PAGE, {"scans": [upload("autre.pdf", scanned(theirs))]}).text)
    assert f"autre.pdf : {NOT_OURS}" in page
    assert Certificate.objects.get(pk=theirs.pk).status == MonthStatus.ENTERED


def test_a_file_that_is_no_pdf_is_refused_and_the_month_given_twice_keeps_its_first(
    member: Client, world: World
) -> None:
    march = entered(world)
    scan = scanned(march)
    files = [upload("photo.pdf", b"not a pdf"), upload("a.pdf", scan), upload("b.pdf", scan)]
    page = text_of(member.post(PAGE, {"scans": files}).text)
    assert "photo.pdf : Ce fichier n'est pas un PDF." in page
    assert "b.pdf (dossier" in page and "Ce mois a déjà son scan dans ce dépôt (a.pdf)." in page
    assert "1 mois certifié, 2 scans refusés." in page
