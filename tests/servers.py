"""What the tests that start real servers or commands share: a new PostgreSQL database of
their own, waiting until a server answers, an environment without the tests' own settings,
and running ``manage.py`` or a shell script in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def new_database(label: str) -> Iterator[str]:
    """A new, empty database on the tests' PostgreSQL server, dropped afterwards: its URL."""
    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    name = f"realisa_{label}_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def status_of(url: str, headers: dict[str, str] | None = None) -> int:
    """The HTTP status ``url`` answers with; 0 while nothing listens."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 — loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0


def wait_until_ready(base: str, seconds: float = 60) -> None:
    """Until the server at ``base`` answers /healthz/live."""
    deadline = time.monotonic() + seconds
    while status_of(f"{base}/healthz/live") != 200:
        assert time.monotonic() < deadline, f"{base} did not answer"
        time.sleep(0.2)


# What the tests set in their own environment, which a production process never has: the
# browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, a developer's DEBUG or demo, CI's DATABASE_URL.
TEST_ONLY = {
    "DEBUG",
    "REALISA_DEMO",
    "SECURE_COOKIES",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "PYTHONPATH",
}


def outside_environment() -> dict[str, str]:
    """This process's environment without what the tests set for themselves: the start of
    the environment of a server or a command a test runs as production would."""
    return {key: value for key, value in os.environ.items() if key not in TEST_ONLY}


def manage(
    environment: dict[str, str], *command: str, check: bool = False, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """``manage.py *command`` in a fresh process with ``environment``, from the checkout."""
    return subprocess.run(  # noqa: S603 — our own manage.py, with arguments written here
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def bash(
    script: str, environment: dict[str, str], *, cwd: Path = ROOT, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """``script`` run by bash, stopping at its first failure (the guide's commands)."""
    return subprocess.run(  # noqa: S603 — commands the tests or the guide write
        ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
