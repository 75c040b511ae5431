"""The README stays true: every environment variable that settings read is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_in_the_readme() -> None:
    settings = (ROOT / "realisa" / "settings.py").read_text()
    names = set(re.findall(r'env(?:bool|int|secret)?\(\s*"([A-Z][A-Z0-9_]+)"', settings))
    assert "DATABASE_URL" in names and "SECRET_KEY" in names
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []


def test_the_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make demo" in first_block and "make test" in first_block
