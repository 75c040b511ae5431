"""Fixtures of the API tests: a token per person of the world, a client that sends it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client

from realisa.api.tokens import create_token
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.demo.files import one_page_pdf
from tests.conftest import World
from tests.factories import CertificateFactory

MARCH = "2026-03"  # entered, with a signed scan: ready to certify on paper
FEBRUARY = "2026-02"  # certified on paper


class ApiClient:
    """A test client speaking JSON with ``Authorization: Bearer <token>``."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def json(self, method: str, path: str, body: Any = None) -> Any:
        call = getattr(self.client, method)
        return call(
            f"/api/v1{path}",
            data=body if body is not None else {},
            content_type="application/json",
            headers=self.headers,
        )

    def upload(self, path: str, content: bytes, name: str = "scan.pdf") -> Any:
        return self.client.post(
            f"/api/v1{path}",
            {"file": ContentFile(content, name=name)},
            headers=self.headers,
        )


def raw_token(user: Any) -> str:
    _, raw = create_token(user, name="Logiciel", expires_on=date.today() + timedelta(days=30))
    return raw


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def api(world: World) -> Callable[[str | None], ApiClient]:
    """``api("of_admin")``: a client with a token of that person of the world."""

    def make(role: str | None) -> ApiClient:
        return ApiClient(raw_token(world.user(role)) if role else None)

    return make


@pytest.fixture
def months(world: World) -> dict[str, Certificate]:
    """March entered with a signed scan and a sheet; February certified on paper."""
    entered = CertificateFactory(dossier=world.dossier, month=date(2026, 3, 1))
    entered.signed_scan.save("scan.pdf", ContentFile(one_page_pdf("Scan")))
    sheet = AttendanceSheet(certificate=entered, original_name="feuille.pdf")
    sheet.file.save("feuille.pdf", ContentFile(one_page_pdf("Feuille")))
    certified = CertificateFactory(dossier=world.dossier, month=date(2026, 2, 1), certified=True)
    return {"entered": entered, "certified": certified}


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No webhook ever leaves the machine in tests: only 127.0.0.1 may be posted to."""
    import urllib.request
    from urllib.parse import urlsplit

    urlopen = urllib.request.urlopen

    def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
        host = urlsplit(getattr(request, "full_url", request)).hostname
        if host != "127.0.0.1":
            raise OSError(f"tests post to 127.0.0.1 only, not {host}")
        return urlopen(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", guarded)
