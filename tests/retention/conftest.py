"""Fixtures of the retention tests: a month with its stored files, paid long ago."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from realisa.certificates.certification import add_attendance_sheet, replace_signed_scan
from realisa.demo.files import one_page_pdf
from realisa.documents.models import CertificateVersion
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import plan_march
from tests.certificates.test_entry_service import enter
from tests.conftest import World
from tests.factories import PaymentFactory


@pytest.fixture(autouse=True)
def _sealed_here(own_seal: Path) -> None:
    """Any seal is made for the test."""


def _pdf(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{text}.pdf", one_page_pdf(text), "application/pdf")


def paid(dossier: Dossier, years_ago: int) -> date:
    """A payment on ``dossier`` in the year ``years_ago`` before this one; its date."""
    on = date(timezone.localdate().year - years_ago, 6, 30)
    PaymentFactory(dossier=dossier, paid_on=on)
    return on


@pytest.fixture
def stored(world: World) -> dict[str, Any]:
    """The world's dossier with a month's PDF, signed scan and one attendance sheet."""
    plan_march(world.dossier)
    certificate = enter(world.dossier, world.of_user).certificate
    replace_signed_scan(certificate, _pdf("scan"), actor=world.of_user, request=None)
    sheet = add_attendance_sheet(certificate, _pdf("feuille"), actor=world.of_user, request=None)
    certificate.refresh_from_db()
    return {
        "version": CertificateVersion.objects.get(certificate=certificate).file.name,
        "scan": certificate.signed_scan.name,
        "sheet": sheet.file.name,
    }
