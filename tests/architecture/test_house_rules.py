"""The house's size and clarity rules, checked on every module of ``realisa/``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "realisa"
MAX_FUNCTION_LINES = 40
MAX_MODULE_LINES = 400
# The two statements written by hand, each with a comment weighing it against the rule:
# the health check's « SELECT 1 », and the demo's bulk seeding of a 10,000-dossier world.
HAND_WRITTEN_SQL = {"health.py", "demo/scale.py"}
SPEED_TRICKS = re.compile(r"connection\.cursor|\.raw\(|jinja2|mark_safe")


def modules() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative:
            found.append((relative, path.read_text()))
    return found


def test_no_module_is_over_400_lines() -> None:
    assert [r for r, text in modules() if len(text.splitlines()) > MAX_MODULE_LINES] == []


def test_no_function_is_over_40_lines_outside_the_demo() -> None:
    long = []
    for relative, text in modules():
        if relative.startswith("demo/"):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{relative}:{node.name} ({length})")
    assert long == []


def test_no_speed_trick_is_left() -> None:
    found = [r for r, text in modules() if SPEED_TRICKS.search(text) and r not in HAND_WRITTEN_SQL]
    assert found == []


def _function_imports(tree: ast.AST, lines: list[str]) -> list[int]:
    """Imports inside a function body with no comment saying why on or just above them."""
    bad = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                here, above = lines[node.lineno - 1], lines[node.lineno - 2]
                if "#" not in here and not above.strip().startswith("#"):
                    bad.append(node.lineno)
    return bad


def test_an_import_inside_a_function_says_why() -> None:
    found = {}
    for relative, text in modules():
        lines = _function_imports(ast.parse(text), text.splitlines())
        if lines:
            found[relative] = lines
    assert found == {}


def test_the_import_check_sees_an_unexplained_one() -> None:
    text = "def f():\n    x = 1\n    from os import path\n    return path\n"
    assert _function_imports(ast.parse(text), text.splitlines()) == [3]
