"""Production configuration: Django's deployment checks, /healthz, request ids, JSON logs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from realisa.lib.jsonlog import JsonFormatter
from realisa.lib.requestid import RequestIdFilter, request_id

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-0123456789",
    "SITE_URL": "https://realisa.example.org",
    "ALLOWED_HOSTS": "realisa.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_the_deployment_checks_pass_with_production_settings(tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests in this process, not in production
        if key not in {"DEBUG", "REALISA_DEMO", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= PRODUCTION | {"REALISA_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_healthz_reports_database_broker_and_storage(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "storage": "ok"},
    }


def test_healthz_says_which_part_is_down(db: None, client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("erreur")
    assert response.json()["checks"]["database"] == "ok"


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


@pytest.mark.parametrize("path", ["/connexion/", "/dossiers/"])
def test_the_security_headers_are_sent(db: None, client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
