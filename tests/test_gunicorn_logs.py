"""gunicorn as production runs it (``gunicorn.conf.py``, ``LOG_JSON=1``): every line it and
the portal write is one JSON object, and the access line of a request carries the same
request id as the portal's own lines about it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import free_port
from tests.servers import manage, outside_environment, status_of, wait_until_ready

ROOT = Path(__file__).resolve().parent.parent


def production(tmp_path: Path, port: int) -> dict[str, str]:
    kept = outside_environment()
    return kept | {
        "SECRET_KEY": "a-production-secret-for-this-test-only-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REALISA_DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_JSON": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }


def get(url: str, request_id: str) -> int:
    return status_of(url, {"X-Request-ID": request_id})


def serve_and_ask(tmp_path: Path) -> list[dict[str, Any]]:
    port = free_port()
    env = production(tmp_path, port)
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        manage(env, *command, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "realisa.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(base)
        assert get(f"{base}/healthz/live", "req-live-12345") == 200
        assert get(f"{base}/nulle-part/?q=Martin", "req-404-12345") == 404
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_every_line_is_json_and_a_request_is_followed_by_its_id(tmp_path: Path) -> None:
    lines = serve_and_ask(tmp_path)  # json.loads above: a line that is not JSON fails
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    live = [line for line in access if line["request_id"] == "req-live-12345"]
    assert [(line["method"], line["path"], line["status"]) for line in live] == [
        ("GET", "/healthz/live", 200)
    ]
    [missing] = [line for line in access if line["request_id"] == "req-404-12345"]
    assert (missing["path"], missing["status"]) == ("/nulle-part/", 404)  # no query string
    assert "Martin" not in json.dumps(lines)
    [django] = [line for line in lines if line.get("message") == "Not Found: /nulle-part/"]
    assert django["request_id"] == "req-404-12345"
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # « Booting worker »
    assert all(line["time"].endswith("+00:00") for line in lines)  # UTC
