"""Fixtures of the API tests: a token per person of the world, a client that sends it."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from realisa.api.tokens import create_token
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.demo.files import one_page_pdf
from tests.api.receivers import Receiver
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
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """No webhook ever leaves the machine in tests: every address a socket connects to is
    noted here, and only 127.0.0.1 may be reached."""
    attempts: list[tuple[str, int]] = []
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        if isinstance(address, tuple):
            attempts.append((address[0], address[1]))
            if address[0] != "127.0.0.1":
                raise OSError(f"tests connect to 127.0.0.1 only, not {address[0]}")
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[list[str]]]:
    """``dns["hook.example"] = [["8.8.8.8"], ["127.0.0.1"]]``: the resolver's successive
    answers for that name (the last one repeats); other names resolve as usual."""
    answers: dict[str, list[list[str]]] = {}
    getaddrinfo = socket.getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in answers:
            return getaddrinfo(host, port, *args, **kwargs)
        queue = answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return answers


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    server = Receiver()
    server.start()
    yield server
    server.stop()
