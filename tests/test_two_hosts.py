"""Two web hosts, as « Several hosts » of docs/operations.md runs them: two gunicorn
instances on two ports, one PostgreSQL database, one shared storage folder. A file
uploaded through one is served by the other; a session opened on one holds on the other;
failed logins count across both (PostgreSQL: CI's second run)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.db import connection
from PIL import Image

from tests.conftest import free_port
from tests.servers import manage, new_database, outside_environment, wait_until_ready

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "realisa-demo"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two hosts share PostgreSQL: the PostgreSQL run"
)


@pytest.fixture
def database() -> Iterator[str]:
    with new_database("two_hosts") as url:
        yield url


@pytest.fixture
def hosts(database: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two instances with the same settings and secrets, their own data folders, and the
    shared private storage (the NFS mount or the bucket of the guide)."""
    ports = [free_port(), free_port()]
    kept = outside_environment()
    shared = kept | {
        "SECRET_KEY": "the-same-secret-key-on-every-host-0123456789abcdef",
        "AUDIT_HMAC_KEY": "the-same-audit-key-on-every-host-0123456789abcdef",
        "DATABASE_URL": database,
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "shared"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "RATE_LIMIT_REDIS_URL": "",  # the database counts, for every host
        "CELERY_BROKER_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "GUNICORN_WORKERS": "1",
    }
    deploying = shared | {"REALISA_DATA_DIR": str(tmp_path / "deploy")}
    manage(deploying, "migrate", "--no-input", check=True)
    manage(deploying, "collectstatic", "--no-input", check=True)
    manage(deploying, "seed_demo", "--i-know-this-is-not-production", check=True)
    servers = []
    for number, port in enumerate(ports):
        environment = shared | {
            "REALISA_DATA_DIR": str(tmp_path / f"host{number}"),
            "SITE_URL": f"http://127.0.0.1:{port}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
        }
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "realisa.wsgi"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            wait_until_ready(base)
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]  # type: ignore[index]


def log_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    token = csrf(client, "/connexion/")
    return client.post(
        "/connexion/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_a_file_and_a_session_from_one_host_hold_on_the_other(hosts: list[str]) -> None:
    first, second = (httpx.Client(base_url=base) for base in hosts)
    assert log_in(first, "of.admin", PASSWORD).status_code == 302
    token = csrf(first, "/organisme/identite/")
    saved = first.post(
        "/organisme/identite/",
        data={"legal_representative": "Marie Laurent", "csrfmiddlewaretoken": token},
        files={"logo": ("logo.png", png(), "image/png")},
    )
    assert saved.status_code == 302, saved.text[:500]
    logo = first.get("/organisme/identite/fichier/logo/")
    assert logo.status_code == 200

    second.cookies = first.cookies  # the same browser, sent to the other host
    page = second.get("/organisme/identite/")
    assert page.status_code == 200 and "Marie Laurent" in page.text  # the session holds
    served = second.get("/organisme/identite/fichier/logo/")
    assert served.status_code == 200 and served.content == logo.content


def test_failed_logins_count_across_both_hosts(hosts: list[str]) -> None:
    clients = [httpx.Client(base_url=base) for base in hosts]
    for attempt in range(4):  # alternately on each host
        assert log_in(clients[attempt % 2], "of.user", "pas le bon").status_code == 200
    locked = log_in(clients[0], "of.user", "pas le bon")  # the 5th (AXES_FAILURE_LIMIT)
    assert locked.status_code == 429 and "Connexion bloquée pour 15 minutes" in locked.text
    for client in clients:
        assert log_in(client, "of.user", PASSWORD).status_code == 429  # locked on both
