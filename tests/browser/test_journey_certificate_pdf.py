"""A beneficiary downloads a certificate from « Mes certificats »; anyone checks it."""

from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from realisa.choices import VersionReason
from realisa.documents.services import generate_version
from realisa.dossiers.models import Dossier, Payment
from tests.browser.conftest import assert_accessible, login, visit
from tests.factories import CertificateFactory


def test_a_downloaded_certificate_is_recognised_by_the_verification_page(
    page: Page, live_server, demo_world, tmp_path
) -> None:
    dossier = Dossier.objects.get(number=f"FPE-{timezone.localdate().year}-0001")
    paid = Payment.objects.get(dossier=dossier, is_advance=False)  # its month has no hours
    certificate = CertificateFactory(
        dossier=dossier, month=paid.period_start.replace(day=1), certified=True
    )  # the beneficiary sees a month's certificate once it is certified
    version = generate_version(certificate, reason=VersionReason.CERTIFICATION, actor=None)

    login(page, live_server, "beneficiaire")
    page.get_by_role("link", name="Mes certificats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes certificats")
    visit(page, page.url)
    with page.expect_download() as download_info:
        month_name = date_format(certificate.month, "F Y")
        page.get_by_role("link", name=f"Télécharger le PDF du certificat de {month_name}").click()
    download = download_info.value
    assert download.suggested_filename == (
        f"certificat-realisation-{dossier.number}-{certificate.month:%Y-%m}.pdf"
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    page.context.clear_cookies()
    visit(page, f"{live_server.url}/documents/verifier/")
    page.get_by_label("Ou le fichier PDF du certificat").set_input_files(saved)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("status").first).to_contain_text("Ce fichier est authentique")
    expect(page.get_by_text(version.reference).first).to_be_visible()
    assert_accessible(page)

    visit(page, f"{live_server.url}/documents/verifier/RC-0000-0000-0000/")
    expect(page.get_by_role("status").first).to_contain_text("Aucun certificat n'a été émis")
