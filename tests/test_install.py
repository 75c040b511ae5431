"""The pinned install: constraints.txt pins every package that pyproject.toml asks for,
within its range, and the environment the tests run in is the pinned one (make install
and CI install with it, as the production install of docs/operations.md does)."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            pin = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line)
            assert pin, f"constraints.txt : « {line} » n'est pas épinglé (==)"
            found[canonicalize_name(pin[1])] = pin[2]
    return found


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    asked = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(text) for text in asked]


def test_every_requirement_is_pinned_within_its_range() -> None:
    pinned = pins()
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} n'est pas dans constraints.txt"
        assert requirement.specifier.contains(pinned[name]), (requirement, pinned[name])


def test_the_tests_run_on_the_pinned_versions() -> None:
    differ = {}
    for name, pinned in pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "absent"
        if installed != pinned:
            differ[name] = (pinned, installed)
    assert differ == {}, "make install (pip install -c constraints.txt)"
