"""Production configuration: Django's deployment checks, /healthz, request ids, JSON logs."""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path
from typing import Any
from unittest.mock import Mock, patch

import pytest
from django.test import Client

from realisa.lib.jsonlog import JsonFormatter
from realisa.lib.requestid import RequestIdFilter, request_id
from tests.servers import manage, outside_environment

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-0123456789",
    "SITE_URL": "https://realisa.example.org",
    "ALLOWED_HOSTS": "realisa.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "AUDIT_HMAC_KEY": "z" * 20 + "-audit-chain-key-kept-apart-0123456789",
    "WEBHOOK_SECRET_KEY": "y" * 20 + "-webhook-secrets-key-kept-apart-0123456789",
}


def _manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``manage.py *args`` in a fresh process with the production variables (and ``extra``)."""
    environment = outside_environment() | PRODUCTION | {"REALISA_DATA_DIR": str(tmp_path)}
    return manage(environment | extra, *args, timeout=120)


def test_the_deployment_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        ({}, True),  # production without SECRET_KEY
        ({"DEBUG": "1"}, False),  # development
        ({"REALISA_DEMO": "1", "ALLOWED_HOSTS": "127.0.0.1"}, False),  # the demo
    ],
)
def test_a_generated_secret_key_is_refused_in_production(
    tmp_path: Path, extra: dict[str, str], refused: bool
) -> None:
    result = _manage(tmp_path, "check", SECRET_KEY="", **extra)  # empty: not set
    assert (result.returncode != 0) == refused, result.stdout + result.stderr
    assert ("accounts.E001" in result.stderr) == refused
    if refused:
        assert "SECRET_KEY n'est pas défini" in result.stderr


CURSORS = "from django.conf import settings as s; print(s.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS'))"  # noqa: E501


def test_behind_pgbouncer_no_cursor_outlives_its_transaction(tmp_path: Path) -> None:
    postgres = {"DATABASE_URL": "postgres://realisa@127.0.0.1:6432/realisa"}  # not opened
    default = _manage(tmp_path, "shell", "--no-imports", "-c", CURSORS, **postgres)
    assert default.stdout.split() == ["False"], default.stderr
    pooled = _manage(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        CURSORS,
        DB_DISABLE_SERVER_SIDE_CURSORS="1",
        **postgres,
    )
    assert pooled.stdout.split() == ["True"], pooled.stderr


HSTS = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD)"


def test_hsts_preload_is_off_unless_asked_for(tmp_path: Path) -> None:
    default = _manage(tmp_path, "shell", "--no-imports", "-c", HSTS)
    assert default.stdout.split() == ["31536000", "False"]
    asked = _manage(tmp_path, "shell", "--no-imports", "-c", HSTS, SECURE_HSTS_PRELOAD="1")
    assert asked.stdout.split() == ["31536000", "True"]


def test_healthz_reports_database_broker_and_storage(db: None, client: Client) -> None:
    response = client.get("/healthz")  # from the instance's own host: the details
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "storage": "ok"},
    }


def test_a_broker_down_is_reported_but_keeps_the_host_in_rotation(
    db: None, client: Client, settings: Any
) -> None:
    """The outbox keeps e-mails and webhooks until the broker is back."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    for path in ("/healthz/ready", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert response.json()["checks"]["broker"].startswith("erreur")
        assert response.json()["checks"]["database"] == "ok"


def test_liveness_asks_nothing_but_the_process(db: None, client: Client) -> None:
    down = Mock(side_effect=OSError("down"))
    with patch.dict("realisa.health.CHECKS", {"database": down, "storage": down}):
        assert client.get("/healthz/ready").status_code == 503
        calls = down.call_count
        live = client.get("/healthz/live", REMOTE_ADDR="203.0.113.9")
        assert down.call_count == calls
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}


def test_healthz_tells_an_anonymous_outsider_only_up_or_down(
    db: None, client: Client, settings: Any
) -> None:
    response = client.get("/healthz/ready", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    with patch.dict("realisa.health.CHECKS", {"database": Mock(side_effect=OSError("down"))}):
        down = client.get("/healthz/ready", REMOTE_ADDR="203.0.113.9")
    assert down.status_code == 503
    assert down.json() == {"status": "erreur"}


def test_healthz_writes_nothing(db: None, client: Client, settings: Any) -> None:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    root.mkdir(parents=True, exist_ok=True)
    before = sorted(root.rglob("*"))
    for _ in range(3):
        assert client.get("/healthz").json()["checks"]["storage"] == "ok"
    assert sorted(root.rglob("*")) == before


def test_healthz_says_when_the_storage_cannot_be_written(
    db: None, client: Client, settings: Any, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "fichier"
    not_a_folder.write_text("")
    settings.STORAGES = settings.STORAGES | {
        "default": settings.STORAGES["default"] | {"OPTIONS": {"location": not_a_folder / "x"}}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("erreur")


def test_every_response_carries_a_request_id(db: None, client: Client) -> None:
    made_up = client.get("/connexion/")["X-Request-ID"]
    assert len(made_up) == 32
    assert client.get("/connexion/", HTTP_X_REQUEST_ID="abc-12345678")["X-Request-ID"] == (
        "abc-12345678"
    )
    assert client.get("/connexion/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_pages_have_a_content_security_policy(db: None, client: Client) -> None:
    policy = client.get("/connexion/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord(
        "realisa", logging.WARNING, __file__, 1, "Certifié %s", ("ok",), None
    )
    token = request_id.set("req-1234")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Certifié ok" and line["request_id"] == "req-1234"
    assert line["level"] == "WARNING"


class Lines(logging.Handler):
    """The JSON lines a log collector would read, through the portal's own filter."""

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.mark.parametrize(("path", "status"), [("/nulle-part/", 404), ("/dossiers/", 302)])
def test_a_not_found_line_carries_its_request_id(
    db: None, client: Client, path: str, status: int
) -> None:
    lines = Lines()
    logger = logging.getLogger("django.request")
    logger.addHandler(lines)
    try:
        response = client.get(path, HTTP_X_REQUEST_ID="req-404-abcdef")
    finally:
        logger.removeHandler(lines)
    assert response.status_code == status
    if status == 404:
        [line] = lines.lines  # once, not again after the middleware
        assert line["message"] == f"Not Found: {path}"
        assert line["request_id"] == "req-404-abcdef"
    else:
        assert lines.lines == []


@pytest.mark.parametrize("path", ["/connexion/", "/dossiers/"])
def test_the_security_headers_are_sent(db: None, client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
