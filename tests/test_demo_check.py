"""The demo mode shows every e-mail, codes and password links included: Django's system
check refuses it whenever ALLOWED_HOSTS names a host other than the machine itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ["localhost", "127.0.0.1", "::1", "[::1]", "testserver", "demo.localhost", ".localhost"]
PUBLIC = ["realisa.example.org", "*", "0.0.0.0", "192.168.1.20"]  # noqa: S104 (not a bind)


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("host", PUBLIC)
def test_the_demo_mode_is_refused_on_a_host_others_can_reach(
    settings: Any, host: str, debug: bool
) -> None:
    settings.DEMO_MODE, settings.DEBUG = True, debug
    settings.ALLOWED_HOSTS = ["localhost", host]
    with pytest.raises(SystemCheckError, match=r"demo\.E001"):
        call_command("check")


def test_the_demo_mode_runs_on_local_hosts(settings: Any) -> None:
    settings.DEMO_MODE, settings.ALLOWED_HOSTS = True, LOCAL
    call_command("check")


def test_a_public_host_without_the_demo_mode_is_fine(settings: Any) -> None:
    settings.DEMO_MODE, settings.ALLOWED_HOSTS = False, ["realisa.example.org"]
    settings.SECRET_KEY_GENERATED = False  # production sets SECRET_KEY
    call_command("check")


def manage_check(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """``manage.py check`` in the environment ``make demo`` gives it, plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if k not in {"ALLOWED_HOSTS", "DEBUG"}}
    env |= {"REALISA_DEMO": "1", "REALISA_DATA_DIR": str(tmp_path), **variables}
    command = [sys.executable, "manage.py", "check"]
    return subprocess.run(  # noqa: S603 — our own manage.py, with arguments written here
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_make_demo_passes_the_check_and_a_public_host_does_not(tmp_path: Path) -> None:
    assert manage_check(tmp_path).returncode == 0
    public = manage_check(tmp_path, ALLOWED_HOSTS="realisa.example.org")
    assert public.returncode != 0 and "demo.E001" in public.stderr
