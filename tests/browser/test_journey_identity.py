"""« Votre identité » then the funder's check: Centre Horizon becomes a certifier."""

from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.demo.files import logo_png, one_page_pdf, stamp_png
from tests.browser.conftest import assert_accessible, login, visit


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()


def test_horizon_admin_completes_its_identity_and_the_agent_checks_it(
    page: Page, live_server, demo_world, tmp_path: Path
) -> None:
    today = timezone.localdate().strftime("%d/%m/%Y")

    login(page, live_server, "horizon.admin")
    page.get_by_role("link", name="Votre identité").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Votre identité")
    assert_accessible(page)
    page.get_by_label("Nom du représentant légal").fill("Paul Weber")
    page.get_by_label("Qualité du représentant légal").fill("Directeur")
    page.get_by_label("Logo de votre organisme").set_input_files(
        write(tmp_path, "logo.png", logo_png("CH", "#7a4b00"))
    )
    page.get_by_label("Cachet", exact=True).set_input_files(
        write(tmp_path, "cachet.png", stamp_png("CENTRE HORIZON", "Metz"))
    )
    documents = page.get_by_role("table", name="Justificatifs à fournir à votre Transitions Pro")
    expect(documents).to_be_hidden()
    page.get_by_label("Je suis certificateur").check()
    expect(documents).to_be_visible()  # « les deux lignes KBIS et lettre de consentement »
    page.get_by_label("Ajouter : Extrait KBIS").set_input_files(
        write(tmp_path, "kbis.pdf", one_page_pdf("Extrait KBIS - Centre Horizon"))
    )
    page.get_by_label("Ajouter : Lettre de consentement").set_input_files(
        write(tmp_path, "lettre.pdf", one_page_pdf("Lettre de consentement - Centre Horizon"))
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Votre identité est enregistrée.")).to_be_visible()
    expect(documents.get_by_text("En attente de contrôle par votre Transitions Pro")).to_have_count(
        2
    )
    expect(page.get_by_role("img", name="Cachet actuel de Centre Horizon")).to_be_visible()
    assert_accessible(page)
    identity_url = page.url
    log_out(page)

    login(page, live_server, "agent")
    page.get_by_role("link", name="Contrôle des justificatifs").click()
    assert_accessible(page)
    page.get_by_role("link", name="Centre Horizon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Centre Horizon")
    assert_accessible(page)
    # Each document's word agrees with its noun: « Extrait KBIS : contrôlé conforme »,
    # « Lettre de consentement : contrôlée conforme ».
    for label, checked in (("Extrait KBIS", "contrôlé"), ("Lettre de consentement", "contrôlée")):
        with page.expect_navigation():
            page.get_by_role("button", name=f"Conforme : {label}", exact=True).click()
        expect(page.get_by_text(f"{label} : {checked} conforme.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Contrôle des justificatifs").first.click()
    expect(page.get_by_text("Aucun justificatif n'attend de contrôle.")).to_be_visible()
    log_out(page)

    login(page, live_server, "horizon.admin")
    visit(page, identity_url)
    expect(page.get_by_text(f"Contrôlé le {today}")).to_have_count(1)
    expect(page.get_by_text(f"Contrôlée le {today}")).to_have_count(1)
    expect(
        page.get_by_text("Votre organisme peut certifier les heures en 100 % dématérialisé")
    ).to_be_visible()


def test_horizon_admin_creates_a_user_who_may_certify(page: Page, live_server, demo_world) -> None:
    login(page, live_server, "horizon.admin")
    page.get_by_role("link", name="Utilisateurs").click()
    assert_accessible(page)
    page.get_by_role("link", name="Créer un utilisateur").click()
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("horizon.user")
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Garnier")
    page.get_by_label("Adresse e-mail").fill("ines@centre-horizon.localhost")
    page.get_by_label("Certification des certificats de réalisation").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_text("Le compte horizon.user est créé")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="horizon.user")
    expect(row.get_by_text("Cochée", exact=True)).to_be_visible()
    assert_accessible(page)
