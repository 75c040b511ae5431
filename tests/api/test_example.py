"""docs/api.md's worked example, run as written against a live server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from realisa.api.tokens import create_token
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.demo.files import one_page_pdf
from tests.factories import DossierFactory, UserFactory

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def example_script() -> str:
    text = DOCS.read_text(encoding="utf-8")
    return text.split("```python\n#!/usr/bin/env python3\n", 1)[1].split("```", 1)[0]


@pytest.mark.django_db(transaction=True)
def test_the_worked_example_puts_hours_and_certifies_on_paper(
    live_server: Any, tmp_path: Path
) -> None:
    dossier = DossierFactory()
    user = UserFactory(of_user=True, organisation=dossier.organisation)
    _, token = create_token(user, name="Exemple", expires_on=date(2027, 6, 1))
    script = tmp_path / "certify_paper.py"
    script.write_text(example_script(), encoding="utf-8")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(one_page_pdf("Certificat signé"))
    result = subprocess.run(  # noqa: S603 - our own script, with the test's interpreter
        [sys.executable, str(script), dossier.number, "2026-04", str(scan), "140", "3h30"],
        env={**os.environ, "REALISA_URL": live_server.url, "REALISA_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Certifié par l'organisme" in result.stdout
    certificate = Certificate.objects.get(dossier=dossier, month="2026-04-01")
    assert certificate.status == MonthStatus.CERTIFIED
    assert (certificate.centre_minutes, certificate.absence_minutes) == (140 * 60, 210)
