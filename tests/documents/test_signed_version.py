"""Certification 1's certificate is the signed one: after « Certifier » on paper, the
certificate every party downloads is the portal's cover followed by the signed scan as it
was uploaded, sealed by the portal."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from realisa.certificates.certification import certify_paper, replace_signed_scan
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.models import CertificateVersion
from realisa.documents.sealing import verify_pdf
from realisa.documents.sealing_keys import seal_keys
from realisa.documents.services import latest_version
from realisa.dossiers.models import Dossier
from tests.api.conftest import ApiClient, raw_token
from tests.certificates.conftest import plan_march
from tests.certificates.test_entry_service import enter
from tests.conftest import World
from tests.documents.conftest import pdf_text, poppler
from tests.sealing.conftest import run_pdfsig

PARTIES = ("beneficiary", "employer", "of_user", "of_admin", "agent")


@pytest.fixture(autouse=True)
def _sealing(own_seal: Path) -> None:
    """Each test seals with its own local CA (B-B, no time-stamping authority)."""


def pdfsig_report(pdf: bytes, folder: Path) -> str:
    """poppler's verdict on ``pdf``, trusting the portal's root."""
    return run_pdfsig(pdf, folder, trust=list(seal_keys().trust_roots))


def api(world: World, role: str) -> ApiClient:
    return ApiClient(raw_token(world.user(role)))


def drawing(size: tuple[int, int] = (850, 1100)) -> Image.Image:
    """A scan-like image: a signature's stroke and a stamp's frame on white."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((500, 800, 780, 980), outline="#1d3a8a", width=6)
    draw.line((80, 900, 300, 840, 420, 950), fill="#10204a", width=5)
    draw.text((80, 80), "Certificat signe", fill="black")
    return image


def jpeg_scan() -> bytes:
    buffer = io.BytesIO()
    drawing().save(buffer, format="JPEG", quality=80, dpi=(100, 100))
    return buffer.getvalue()


def png_scan() -> bytes:
    buffer = io.BytesIO()
    drawing().convert("L").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_scan() -> bytes:
    """Three pages as a scanner's software makes them: text, a JPEG image, a landscape page."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    page.drawString(72, 760, "Certificat de realisation - page signee 1")
    page.showPage()
    page.drawImage(ImageReader(io.BytesIO(jpeg_scan())), 40, 80, width=500, height=650)
    page.drawString(72, 40, "page signee 2")
    page.showPage()
    page.setPageSize(landscape(A4))
    page.drawString(72, 500, "page signee 3 (paysage)")
    page.showPage()
    page.save()
    return buffer.getvalue()


def certify_with(world: World, dossier: Dossier, scan: bytes, name: str) -> Certificate:
    """March entered, ``scan`` uploaded as the signed certificate, « Certifier »."""
    certificate = enter(dossier, world.of_user).certificate
    upload = SimpleUploadedFile(name, scan)
    replace_signed_scan(certificate, upload, actor=world.of_user, request=None)
    return certify_paper(certificate, actor=world.of_user, request=None)


def stored(version: CertificateVersion | None) -> bytes:
    assert version is not None
    with version.file.open("rb") as handle:
        return bytes(handle.read())


def page_images(page: pypdf.PageObject) -> list[bytes]:
    """The raw (still encoded) data of each image a page draws."""
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        return []
    xobjects = [xobject.get_object() for xobject in resources["/XObject"].values()]
    return [xobject._data for xobject in xobjects if xobject["/Subtype"] == "/Image"]


@pytest.fixture
def named(world: World) -> World:
    world.of_user.first_name, world.of_user.last_name = "Nadia", "Benali"
    world.of_user.save(update_fields=["first_name", "last_name"])
    plan_march(world.dossier)
    return world


@pytest.fixture
def certified_pdf_scan(named: World) -> Certificate:
    return certify_with(named, named.dossier, pdf_scan(), "certificat-signe.pdf")


def test_the_certified_version_is_a_cover_then_the_scan_pages_untouched(
    certified_pdf_scan: Certificate, tmp_path: Path
) -> None:
    certificate = certified_pdf_scan
    version = latest_version(certificate)
    assert version is not None and version.reason == VersionReason.SIGNED
    assert version.status == MonthStatus.CERTIFIED
    assert certificate.versions.count() == 2  # the entry's unsigned version stays
    pdf = pypdf.PdfReader(io.BytesIO(stored(version)))
    scan = pypdf.PdfReader(io.BytesIO(pdf_scan()))
    assert len(pdf.pages) == 1 + len(scan.pages) == 4
    for ours, theirs in zip(pdf.pages[1:], scan.pages, strict=True):
        assert ours.get_contents().get_data() == theirs.get_contents().get_data()
        assert page_images(ours) == page_images(theirs)
        assert ours.mediabox == theirs.mediabox
    assert page_images(pdf.pages[2])  # the scanned image is there, as it was

    cover = pdf_text(stored(version), tmp_path).split("Certificat de realisation - page")[0]
    assert "CERTIFICAT DE RÉALISATION SIGNÉ" in cover
    assert f"Dossier n° {certificate.dossier.number}" in cover
    assert "Mois : mars 2026" in cover
    assert "les 3 pages suivantes sont le certificat signé" in cover
    assert "Nadia Benali (utilisateur de l'organisme), pour" in cover
    assert certificate.signed_scan_sha256 == hashlib.sha256(pdf_scan()).hexdigest()
    assert certificate.signed_scan_sha256 in cover
    assert f"Référence : {version.reference}" in cover
    assert certificate.entered_by.username not in cover  # a name, never a login


def test_the_cover_s_qr_code_leads_to_the_verification_page(
    certified_pdf_scan: Certificate, tmp_path: Path
) -> None:
    version = latest_version(certified_pdf_scan)
    assert version is not None
    (tmp_path / "signe.pdf").write_bytes(stored(version))
    poppler(
        "pdftoppm", "-r", "200", "-png", "-f", "1", "-singlefile", "signe.pdf", "p", cwd=tmp_path
    )
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "p.png"))
    url = f"{settings.SITE_URL}/documents/verifier/{version.reference}/"
    assert [code.text.split("#")[0] for code in codes] == [url]  # then its signed payload


def test_it_is_sealed_for_pyhanko_and_pdfsig(
    certified_pdf_scan: Certificate, tmp_path: Path
) -> None:
    pdf = stored(latest_version(certified_pdf_scan))
    result = verify_pdf(pdf)
    assert result.ok, result.message
    (check,) = result.signatures
    assert check.intact and check.valid and check.trusted and check.entire_document
    assert check.organisation == certified_pdf_scan.dossier.organisation.name
    report = pdfsig_report(pdf, tmp_path)
    assert "Signature is Valid" in report and "Total document signed" in report


def test_the_verification_page_finds_it_by_reference_and_by_content(
    certified_pdf_scan: Certificate, client: Client
) -> None:
    version = latest_version(certified_pdf_scan)
    assert version is not None
    page = client.get(reverse("documents:verify_reference", args=[version.reference])).text
    assert version.reference in page and certified_pdf_scan.dossier.number in page
    response = client.post(
        reverse("documents:verify"), {"file": SimpleUploadedFile("c.pdf", stored(version))}
    )
    assert "Ce fichier est authentique" in response.text
    assert version.reference in response.text


@pytest.mark.parametrize("role", PARTIES)
def test_every_party_downloads_the_signed_one_by_default(
    certified_pdf_scan: Certificate, client: Client, world: World, role: str
) -> None:
    client.force_login(world.user(role))
    response = client.get(reverse("documents:download", args=[certified_pdf_scan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored(latest_version(certified_pdf_scan))


def test_the_api_s_latest_version_is_the_signed_one(
    certified_pdf_scan: Certificate, named: World
) -> None:
    path = f"/dossiers/{named.dossier.number}/months/2026-03/versions"
    for role in ("beneficiary", "employer"):
        versions = api(named, role).get(path).json()
        assert versions[-1]["reason"] == VersionReason.SIGNED
        pdf = api(named, role).get(versions[-1]["pdf_url"].removeprefix("/api/v1"))
        assert b"".join(pdf.streaming_content) == stored(latest_version(certified_pdf_scan))


def test_the_month_page_links_the_signed_one_and_the_history_keeps_the_draft(
    certified_pdf_scan: Certificate, client: Client, world: World
) -> None:
    client.force_login(world.of_user)
    history = client.get(reverse("documents:history", args=[certified_pdf_scan.pk])).text
    assert "Certificat signé (certification 1)" in history
    assert "Saisie des heures" in history


def test_a_jpeg_scan_becomes_a_page_with_its_bytes_as_uploaded(
    named: World, tmp_path: Path
) -> None:
    certificate = certify_with(named, named.dossier, jpeg_scan(), "scan.jpg")
    pdf = stored(latest_version(certificate))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert page_images(reader.pages[1]) == [jpeg_scan()]
    assert "la page suivante est le certificat signé" in reader.pages[0].extract_text()
    assert verify_pdf(pdf).ok and "Signature is Valid" in pdfsig_report(pdf, tmp_path)


def test_a_png_scan_becomes_a_page_with_the_same_pixels(named: World) -> None:
    certificate = certify_with(named, named.dossier, png_scan(), "scan.png")
    reader = pypdf.PdfReader(io.BytesIO(stored(latest_version(certificate))))
    assert len(reader.pages) == 2
    (image,) = reader.pages[1].images
    original = Image.open(io.BytesIO(png_scan()))
    assert image.image.size == original.size
    assert image.image.convert("L").tobytes() == original.convert("L").tobytes()
