"""Certification 2's tests: an online-ready organisation, March's hours entered with both
boxes ticked, the clock at a known moment, and each test sealing with its own local CA."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.http import HttpRequest
from django.test import Client, RequestFactory

from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.rules import Hours
from realisa.choices import ReviewStatus
from realisa.demo.files import logo_png, stamp_png
from realisa.organisations.models import CertifierDocument, Organisation
from tests.certificates.conftest import MARCH, plan_march
from tests.conftest import World
from tests.sealing.conftest import pdfsig, signing_settings  # noqa: F401 (fixtures)

HOUR = 60
PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 4, 2, 9, 0, tzinfo=PARIS)  # March is open (it opened on 31 March)
TOTALS = Hours(centre=20 * HOUR, internship=7 * HOUR, absence=HOUR)
IP = "203.0.113.7"
AGENT = "Mozilla/5.0 (test) Firefox/128.0"


def make_online_ready(organisation: Organisation) -> None:
    """Certifier, both documents conformes, a real stamp and logo: online-ready."""
    organisation.is_certifier = True
    organisation.legal_representative = "Sophie Lambert"
    organisation.logo.save("logo.png", ContentFile(logo_png("OF", "#1d3a8a")), save=False)
    organisation.stamp.save("cachet.png", ContentFile(stamp_png("ORGANISME", "Metz")), save=False)
    organisation.save()
    for kind in CertifierDocument.Kind.values:
        document = CertifierDocument(
            organisation=organisation, kind=kind, review_status=ReviewStatus.COMPLIANT
        )
        document.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4"), save=True)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ready(world: World, clock: Any) -> World:
    """The world's organisation online-ready, its user ticked « certification … »."""
    make_online_ready(world.dossier.organisation)
    world.of_user.can_certify = True
    world.of_user.save(update_fields=["can_certify"])
    plan_march(world.dossier)
    return world


def web(user: Any) -> HttpRequest:
    """A request from a known address and browser, as the audit and the evidence see it."""
    request = RequestFactory().post("/", REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    request.user = user
    return request


def enter(
    world: World,
    *,
    month: date = MARCH,
    version: int = 0,
    hours: Hours = TOTALS,
    gap_reason: str = "",
) -> Any:
    """The month's hours entered by the user, both boxes ticked; a month outside March's plan
    needs ``gap_reason``."""
    entry = HoursEntry(
        hours=hours, certifies_entry=True, accepts_ip_use=True, gap_reason=gap_reason
    )
    return enter_hours(
        world.dossier,
        month,
        actor=world.of_user,
        entry=entry,
        expected_version=version,
        request=web(world.of_user),
    ).certificate


@pytest.fixture
def entered(ready: World) -> Certificate:
    """March's hours entered by the user, both boxes ticked."""
    return enter(ready)  # type: ignore[no-any-return]


def posted_at_once(user: Any, path: str, data: dict[str, Any], clicks: int) -> list[int]:
    """``clicks`` people signed in as ``user`` post ``data`` to ``path`` at the same instant
    (one thread and one connection each, PostgreSQL); the statuses they get."""
    barrier = threading.Barrier(clicks)
    statuses: list[int] = []

    def submit() -> None:
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(path, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses
