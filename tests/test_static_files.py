"""Static files as production serves them: after ``collectstatic``, the pages link names
with their hash, and WhiteNoise serves them compressed, cached for a year, from the
collected folder alone (no finders)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

from realisa import settings as production  # the module, not the fixtures' copy

MANIFEST = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def test_production_settings_use_the_manifest_and_no_finders() -> None:
    """What realisa/settings.py gives without DEBUG or REALISA_DEMO (the tests' fixture
    serves the source folders instead, so read the module itself)."""
    assert production.COLLECTED_STATIC is not (production.DEBUG or production.DEMO_MODE)
    if production.COLLECTED_STATIC:
        assert production.STORAGES["staticfiles"] == MANIFEST
        assert production.WHITENOISE_USE_FINDERS is False


@pytest.mark.django_db
def test_a_hashed_compressed_file_is_served_for_a_year(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", verbosity=0)

    url = static("realisa/realisa.css")
    assert url.startswith("/static/realisa/realisa.") and url != "/static/realisa/realisa.css"
    page = Client().get("/connexion/")
    assert url in page.content.decode()

    client = Client()  # a new middleware: it reads the collected folder
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert client.get("/static/realisa/nowhere.css").status_code == 404
