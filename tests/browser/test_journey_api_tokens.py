"""« Jetons d'API »: an organisation admin creates a token, sees it once, then revokes it."""

from playwright.sync_api import Page, expect

from realisa.api.models import ApiToken
from tests.browser.conftest import assert_accessible, login


def test_horizon_admin_creates_then_revokes_a_token(page: Page, live_server, demo_world) -> None:
    login(page, live_server, "horizon.admin")
    page.get_by_role("link", name="Jetons d'API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jetons d'API")
    assert_accessible(page)
    page.get_by_label("Nom du jeton").fill("Logiciel de gestion")
    with page.expect_navigation():
        page.get_by_role("button", name="Créer le jeton").click()
    token = page.get_by_label("Jeton", exact=True).input_value()
    assert token.startswith("rea_")
    expect(page.get_by_text("il ne sera plus jamais affiché")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Révoquer le jeton Logiciel de gestion").click()
    expect(page.get_by_text("Le jeton « Logiciel de gestion » est révoqué")).to_be_visible()
    assert ApiToken.objects.get(name="Logiciel de gestion").revoked_at is not None
    assert_accessible(page)
