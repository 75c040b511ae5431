"""Browser journeys: Chromium driven by Playwright against pytest-django's live server.

Helpers for journeys:

- ``login(page, live_server, username)``: sign in through the login form.
  Both the login page and the page reached after signing in are checked for accessibility.
- ``visit(page, url)``: go to ``url`` and check the page's accessibility; returns the response.
- ``assert_accessible(page)``: fail on any serious or critical axe-core violation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from playwright.sync_api import Browser, Locator, Page, Response, expect, sync_playwright

from realisa.demo.world import DEMO_PASSWORD, build_demo
from realisa.lib import background
from realisa.lib.french import of_month

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).parent
TIMEOUT_MS = 10_000
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()
expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


# Per module, not per session: Playwright's sync API keeps an event loop running in the
# main thread while the browser is open, and later tests (the seal uses asyncio.run)
# must not find it there.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _jobs_after_the_response(settings, monkeypatch) -> Iterator[None]:
    """The live server runs what a request asks for after its response (its e-mails,
    webhooks) as in production: in the process's background thread. On SQLite, though, the
    test database lives in memory and the server's threads share its one connection: a job
    running beside the browser's next request would find its tables locked. There each job
    runs as soon as it is asked for, in the request that asked."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        monkeypatch.setattr(background.RUNNER, "submit", lambda job: job.run())
    else:
        settings.BACKGROUND_THREAD = True
    yield
    background.RUNNER.stop(timeout=30)


@pytest.fixture
def demo_world(live_server) -> list[tuple[str, str]]:
    """The demo data, served by the live server; (username, description) for each login."""
    return build_demo()


def assert_accessible(page: Page) -> None:
    """Fail listing every serious or critical axe-core violation on the current page."""
    violations = [
        violation
        for violation in _axe.run(page).response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {', '.join(node['target'])}" for node in violation["nodes"])
        pytest.fail("\n".join(lines), pytrace=False)


def visit(page: Page, url: str) -> Response | None:
    """Go to ``url``, check the page's accessibility and return the HTTP response."""
    response = page.goto(url)
    assert_accessible(page)
    return response


def login(page: Page, live_server, username: str) -> None:
    """Sign in as ``username`` with the demo password; check both pages' accessibility."""
    visit(page, f"{live_server.url}/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    assert_accessible(page)


def open_entry_from_calendar(page: Page, live_server, number: str, month: date) -> Locator:
    """The dossier's months, the entry window of ``month``, « Charger le calendrier » and its
    « OK »: the day grid holds the planned hours. Returns the window."""
    visit(page, f"{live_server.url}/certificats/{number}/")
    page.get_by_role("link", name=f"Saisir les heures {of_month(month)}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Charger le calendrier").click()
    dialog.get_by_role("region", name="Calendrier prévisionnel").get_by_role(
        "button", name="OK"
    ).click()
    expect(dialog.locator("#id_jours-0-centre")).not_to_have_value("")
    return dialog


PHONE = {"width": 390, "height": 844}


def assert_fits_phone(page: Page) -> None:
    """The page does not scroll sideways on a 390-px phone, and is accessible."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
