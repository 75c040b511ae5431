"""`make demo` serves on $(HOST):$(PORT), and the links it writes (e-mails, the PDFs' QR
codes) point there: each of its commands gets SITE_URL for that address."""

from __future__ import annotations

import itertools
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_LINKS = (
    "import django; django.setup(); "
    "from django.conf import settings; "
    "from realisa.documents.data import verification_url; "
    "print(verification_url('R-1')); print(settings.SITE_URL)"
)


def demo_commands(**variables: str) -> list[list[str]]:
    """The commands `make demo` would run with these variables, each split into words."""
    assignments = [f"{name}={value}" for name, value in variables.items()]
    printed = subprocess.run(  # noqa: S603 - make -n only prints the Makefile's commands
        ["make", "--no-print-directory", "-n", "demo", *assignments],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [shlex.split(line) for line in printed.splitlines() if "manage.py" in line]


def environment(command: list[str]) -> dict[str, str]:
    """The VARIABLE=value words in front of a command."""
    words = itertools.takewhile(lambda word: "=" in word, command)
    return dict(word.split("=", 1) for word in words)


@pytest.mark.parametrize(("host", "port"), [("127.0.0.1", "8000"), ("localhost", "8123")])
def test_every_demo_command_gets_the_address_it_is_served_on(host: str, port: str) -> None:
    commands = demo_commands(HOST=host, PORT=port)
    names = [command[command.index("manage.py") + 1] for command in commands]
    assert names == ["migrate", "seed_demo", "runserver"]
    for command in commands:
        assert environment(command) == {"REALISA_DEMO": "1", "SITE_URL": f"http://{host}:{port}"}
    assert commands[-1][-1] == f"{host}:{port}"  # runserver's address


def test_the_links_follow_the_site_url_make_demo_passes(tmp_path: Path) -> None:
    (seed,) = [command for command in demo_commands(PORT="8123") if "seed_demo" in command]
    env = {**os.environ, "REALISA_DATA_DIR": str(tmp_path), **environment(seed)}
    env["DJANGO_SETTINGS_MODULE"] = "realisa.settings"
    printed = subprocess.run(  # noqa: S603 - our own code, with the test's interpreter
        [sys.executable, "-c", PRINT_LINKS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert printed[0].startswith("http://127.0.0.1:8123/") and "R-1" in printed[0]  # QR code
    assert printed[1] == "http://127.0.0.1:8123"  # the e-mails' links start with it
