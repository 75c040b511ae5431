"""What the benchmarks share: a temporary database and storage, and the ``BENCH`` lines.

Each benchmark works in a temporary folder (database, private storage, data folder),
never on the project's data. ``BENCH_DATABASE_URL`` may name a PostgreSQL server: a
database of its own is then created on it for the run, and dropped afterwards.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def environment(folder: str, database_url: str | None = None) -> dict[str, str]:
    """The settings' environment of a run in ``folder`` (also what a worker needs)."""
    return {
        "DJANGO_SETTINGS_MODULE": "realisa.settings",
        "REALISA_DATA_DIR": folder,
        "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3",
        "PRIVATE_STORAGE_ROOT": f"{folder}/private",
        "SECRET_KEY": "bench-only",
        "STATIC_ROOT": f"{folder}/static",  # production's collected, hashed files
        "LOG_LEVEL": "WARNING",
    }


def setup_django(folder: str, database_url: str | None = None) -> None:
    """Django on a new, migrated database in ``folder`` (or at ``database_url``), its
    static files collected as production's are."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.update(environment(folder, database_url))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)


@contextmanager
def temporary_database(folder: str) -> Iterator[str | None]:
    """None (SQLite in ``folder``), or the URL of a new database on the PostgreSQL server
    that ``BENCH_DATABASE_URL`` names, dropped at the end."""
    server = os.environ.get("BENCH_DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    name = f"realisa_bench_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_line(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: float,
    ratio: float,
    target: str,
    met: bool,
    note: str | None = None,
    key: str | None = None,
) -> None:
    """One headline figure as a machine-readable line, ``BENCH {json}``, which
    ``run_all.py`` gathers into one table: ``baseline`` is measured in the same run,
    ``target`` says in words what ``met`` checks; ``key`` names a figure that another
    one is computed from."""
    figure: dict[str, Any] = {
        "name": name,
        "value": float(f"{value:.4g}"),
        "unit": unit,
        "baseline": float(f"{baseline:.4g}"),
        "ratio": round(ratio, 2),
        "target": target,
        "met": met,
    }
    if note:
        figure["note"] = note
    if key:
        figure["key"] = key
    print("BENCH " + json.dumps(figure, ensure_ascii=False), flush=True)
