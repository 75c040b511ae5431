"""Every page of every role, on a 390 × 844 phone and a 1280-px screen, with the demo's data.

Each page must fit its viewport (the document never scrolls sideways; an element may pass
the right edge only inside a container that scrolls on purpose), keep its text inside its
boxes, offer touch targets of 44 px on the phone, and pass axe-core with no serious or
critical violation. Screenshots are kept as artefacts in ``$PHONE_SCREENSHOTS`` (by default
test-results/phone/, which git ignores), one per page and width, with the sweep's timing.

SQLite only (CI's PostgreSQL run would repeat the same pages): the layout does not depend
on the database.
"""

from __future__ import annotations

import re
import shutil
import time

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, TIMEOUT_MS, assert_accessible, login
from tests.browser.phone_sweep import (
    LAYOUT_PROBLEMS,
    LOGINS,
    SCREENSHOTS,
    pages_of,
    stale_names,
    unswept_pages,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the sweep runs once, on SQLite (DATABASE_URL is set)"
)

SCREEN = {"width": 1280, "height": 800}


def test_every_page_of_the_matrix_is_in_the_sweep() -> None:
    """A new page with arguments names the demo's objects to open it with (phone_sweep.py)."""
    assert unswept_pages() == [], "add them to DEMO_ARGS or NOT_PAGES in phone_sweep.py"
    assert stale_names() == [], "the matrix has no such row: remove them from phone_sweep.py"


def axe_problems(page: Page) -> list[str]:
    try:
        assert_accessible(page)
    except pytest.fail.Exception as failure:
        return [str(failure)]
    return []


def screenshot(page: Page, role: str, path: str, width: int) -> None:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"
    page.screenshot(path=SCREENSHOTS / role / f"{slug}-{width}.png", full_page=True)


def check_page(page: Page, base_url: str, role: str, path: str) -> list[str]:
    """What is wrong with ``path`` at each width, as ``role`` sees it."""
    page.set_viewport_size(PHONE)
    response = page.goto(base_url + path)
    assert response is not None
    if response.status != 200 or "text/html" not in response.headers["content-type"]:
        return [f"{response.status} {response.headers['content-type']}"]
    problems = []
    for viewport in (PHONE, SCREEN):
        page.set_viewport_size(viewport)
        found = page.evaluate(LAYOUT_PROBLEMS, viewport is PHONE) + axe_problems(page)
        problems += [f"{viewport['width']} px: {problem}" for problem in found]
        screenshot(page, role, path, viewport["width"])
    return problems


def sweep_role(browser: Browser, live_server, role: str) -> tuple[int, list[str]]:
    """Sign in once as the role's demo user and check each of its pages."""
    context = browser.new_context(locale="fr-FR", viewport=SCREEN)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    username = LOGINS[role]
    if username is not None:
        login(page, live_server, username)
    paths = pages_of(role)
    problems = [
        f"{role} {path} — {problem}"
        for path in paths
        for problem in check_page(page, live_server.url, role, path)
    ]
    context.close()
    return len(paths), problems


@pytest.mark.timeout(1800)  # about 150 pages at two widths: minutes, not the 10 of a test
def test_every_page_fits_a_phone_and_a_screen(browser: Browser, live_server, demo_world) -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # the last sweep's pages only
    started = time.monotonic()
    pages, problems = 0, []
    for role in LOGINS:
        count, found = sweep_role(browser, live_server, role)
        pages += count
        problems += found
    seconds = time.monotonic() - started
    summary = f"{pages} pages × 2 widths, {len(LOGINS)} roles, in {seconds:.0f} s"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "summary.txt").write_text(summary + "\n" + "\n".join(problems) + "\n")
    print(summary)
    assert problems == [], "\n".join([summary, *problems])
