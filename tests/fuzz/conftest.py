"""The fuzz's world, built once per test: the demo's, plus what shows every form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from tests.fuzz.scene import Scene, build_scene


@pytest.fixture
def scene(db: Any, settings: Any, own_seal: Path) -> Scene:
    settings.API_RATE_LIMIT = 1_000_000
    cache.clear()
    return build_scene()
