"""docs/operations.md followed to the letter on this machine: its « Install » commands, from
a fresh clone of this checkout, with the production environment the README lists, bring up
the portal, and /healthz/ready answers (PostgreSQL, as the guide's stack: CI's second run).

The only changes to the guide's lines are where they point: the clone's address and folder,
and a free port instead of 8000."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import free_port
from tests.servers import bash, new_database, outside_environment

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "operations.md").read_text()

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the guide's PostgreSQL"),
    pytest.mark.skipif(shutil.which("python3.11") is None, reason="the guide's python3.11"),
    pytest.mark.timeout(1200),
]


def block(name: str) -> str:
    [commands] = re.findall(rf"<!-- {name} -->\n```sh\n(.*?)```", GUIDE, flags=re.S)
    return str(commands)


@pytest.fixture
def database() -> Iterator[str]:
    with new_database("guide") as url:
        yield url


def test_the_guide_brings_up_a_portal_that_is_ready(database: str, tmp_path: Path) -> None:
    folder, port = tmp_path / "realisa", free_port()
    script = "\n".join((block("install"), block("first-run")))
    script = script.replace("https://example.org/realisa.git", str(ROOT))
    script = script.replace("/srv/realisa", str(folder))
    script = script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    pid = tmp_path / "gunicorn.pid"
    kept = outside_environment()
    production = kept | {  # the README's variables, SECRET_KEY first
        "SECRET_KEY": "a-production-secret-key-for-the-guide-0123456789",
        "DATABASE_URL": database,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REALISA_DATA_DIR": str(tmp_path / "data"),
        "AUDIT_HMAC_KEY": "an-audit-key-kept-apart-from-the-database-0123456789",
        "WEBHOOK_SECRET_KEY": "a-webhook-key-kept-apart-from-the-database-0123456789",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_CMD_ARGS": f"--pid {pid}",  # to stop it afterwards
    }
    try:
        result = bash(script, production, cwd=tmp_path, timeout=1100)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        ready = json.loads(result.stdout.strip().splitlines()[-1])  # curl's answer, last
        assert ready["status"] == "ok" and ready["checks"]["database"] == "ok"
        assert "Compte agent créé : identifiant claire.dubois" in result.stdout
    finally:
        if pid.exists():
            os.kill(int(pid.read_text()), signal.SIGTERM)
