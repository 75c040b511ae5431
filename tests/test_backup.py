"""The operations guide's backup and restore, word for word: a demo database and its data
folder are backed up, restored into a new database and a new folder, and the audit chain
and every stored file verify there (PostgreSQL: CI's second run)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.servers import bash, new_database, outside_environment

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "operations.md").read_text()

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore: the PostgreSQL run"
)


def block(name: str) -> str:
    [commands] = re.findall(rf"<!-- {name} -->\n```sh\n(.*?)```", GUIDE, flags=re.S)
    return str(commands)


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two new databases: the portal's, and the one restored into."""
    with new_database("backup_live") as live, new_database("backup_restored") as restored:
        yield live, restored


def command_line(*command: str) -> str:
    return f"{sys.executable} manage.py {' '.join(command)}"


def test_a_backup_restores_into_a_new_database_and_folder(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    live, restored = databases
    kept = outside_environment()
    secrets = {
        "SECRET_KEY": "a-secret-key-kept-in-the-password-manager-0123456789",
        "AUDIT_HMAC_KEY": "an-audit-key-kept-apart-from-the-database-0123456789",
    }
    portal = kept | secrets | {"BACKUP": str(tmp_path / "backup"), "PRIVATE_STORAGE": ""}
    before = portal | {"DATABASE_URL": live, "REALISA_DATA_DIR": str(tmp_path / "live")}
    migrate, seed = command_line("migrate", "--no-input"), command_line("seed_demo")
    seeded = bash(f"{migrate} && REALISA_DEMO=1 {seed}", before)
    assert seeded.returncode == 0, seeded.stderr

    backup = bash(block("backup"), before)
    assert backup.returncode == 0, backup.stderr
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [
        "data.tar.gz",
        "database.dump",
    ]

    after = portal | {"DATABASE_URL": restored, "REALISA_DATA_DIR": str(tmp_path / "new")}
    restore = bash(block("restore"), after)  # its .venv/bin/python: this checkout's
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "Fichiers intacts" in restore.stdout
    count = "from realisa.audit.models import AuditEvent as E; print(E.objects.count())"
    events = [
        bash(command_line("shell", "--no-imports", "-c", f'"{count}"'), side).stdout
        for side in (before, after)
    ]
    assert events[0] == events[1] and int(events[0]) > 10
