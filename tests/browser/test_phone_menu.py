"""The navigation on a phone: behind « Menu », by mouse or keyboard; always open without
JavaScript; on a wide screen, the links themselves."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from realisa.demo.world import DEMO_PASSWORD
from tests.browser.conftest import PHONE, assert_accessible, login
from tests.browser.phone_sweep import LAYOUT_PROBLEMS, SCREENSHOTS
from tests.factories import UserFactory

SCREEN = {"width": 1280, "height": 800}


def navigation(page: Page):
    return page.get_by_role("navigation", name="Navigation principale")


def test_the_menu_button_opens_and_closes_the_navigation(
    page: Page, live_server, transactional_db
) -> None:
    UserFactory(username="agent.mobile", password=DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    login(page, live_server, "agent.mobile")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation(page)).to_be_hidden()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation(page)).to_be_visible()
    page.keyboard.press("Tab")
    expect(navigation(page).get_by_role("link").first).to_be_focused()
    assert_accessible(page)
    assert page.evaluate(LAYOUT_PROBLEMS, True) == []  # the open menu fits too
    page.screenshot(path=SCREENSHOTS / "menu-ouvert-390.png")
    page.keyboard.press("Escape")
    expect(navigation(page)).to_be_hidden()
    expect(menu).to_be_focused()

    menu.click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.set_viewport_size(SCREEN)
    expect(menu).to_be_hidden()
    expect(navigation(page)).to_be_visible()


def test_without_javascript_the_navigation_is_always_shown(
    browser: Browser, live_server, transactional_db
) -> None:
    UserFactory(username="agent.sans.js", password=DEMO_PASSWORD)
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Identifiant").fill("agent.sans.js")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(navigation(page).get_by_role("link", name="Dossiers")).to_be_visible()
    page.set_viewport_size(SCREEN)
    expect(navigation(page).get_by_role("link", name="Dossiers")).to_be_visible()
    context.close()
