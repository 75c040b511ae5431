"""The fuzz's world, built once per test: the demo's, plus what shows every form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from realisa.documents.sealing_keys import forget_seal_keys
from tests.fuzz.scene import Scene, build_scene


@pytest.fixture
def scene(db: Any, settings: Any, tmp_path: Path) -> Iterator[Scene]:
    settings.DATA_DIR = tmp_path / "data"  # the seal's keys, made for this test
    settings.SIGNING_PKCS12_FILE = ""
    settings.SIGNING_TSA_URL = ""
    settings.API_RATE_LIMIT = 1_000_000
    cache.clear()
    forget_seal_keys()
    yield build_scene()
    forget_seal_keys()
