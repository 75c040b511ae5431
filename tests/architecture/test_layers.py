"""The import-linter contract of pyproject.toml holds, and it would catch an import
against the layers: checked on a copy of the package with one such import added."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own virtualenv's tool, no shell
        [str(LINT_IMPORTS), "--no-cache"],  # reads the contract from where/pyproject.toml
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_apps_import_in_one_direction() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout


def test_a_lower_app_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "realisa", tmp_path / "realisa", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    hours = tmp_path / "realisa" / "lib" / "hours.py"
    hours.write_text(hours.read_text() + "\nfrom realisa.api import urls  # noqa\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "realisa.lib is not allowed to import realisa.api" in result.stdout
