"""Every stored file keeps the SHA-256 it had when stored; the verifier reads them all
again and names a file whose bytes changed behind the portal's back."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from realisa.certificates.certification import add_attendance_sheet, replace_signed_scan
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.demo.files import one_page_pdf
from realisa.documents.models import CertificateVersion
from realisa.organisations.identity import IdentityChange, save_identity
from realisa.organisations.models import CertifierDocument
from tests.certificates.conftest import plan_march
from tests.certificates.test_entry_service import enter
from tests.conftest import World
from tests.integrity.conftest import verification_error


def _pdf(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{text}.pdf", one_page_pdf(text), "application/pdf")


@pytest.fixture
def stored(world: World) -> dict[str, Any]:
    """A month with its PDF, signed scan and one sheet; the organisation's KBIS."""
    plan_march(world.dossier)
    certificate = enter(world.dossier, world.of_user).certificate
    replace_signed_scan(certificate, _pdf("scan"), actor=world.of_user, request=None)
    sheet = add_attendance_sheet(certificate, _pdf("feuille"), actor=world.of_user, request=None)
    change = IdentityChange("Sophie Lambert", "Directrice", True, documents={"kbis": _pdf("kbis")})
    save_identity(world.of_admin, change)
    certificate.refresh_from_db()
    return {
        "version": CertificateVersion.objects.get(certificate=certificate).file.name,
        "scan": certificate.signed_scan.name,
        "sheet": sheet.file.name,
        "kbis": CertifierDocument.objects.get(kind="kbis").file.name,
    }


def _sha256(name: str) -> str:
    with default_storage.open(name) as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_each_stored_file_records_its_sha256(stored: dict[str, Any]) -> None:
    certificate = Certificate.objects.get()
    assert certificate.signed_scan_sha256 == _sha256(stored["scan"])
    assert AttendanceSheet.objects.get().sha256 == _sha256(stored["sheet"])
    assert CertifierDocument.objects.get().sha256 == _sha256(stored["kbis"])


def test_intact_files_pass(stored: dict[str, Any], capsys: Any) -> None:
    call_command("verify_audit_chain")
    assert "4 fichiers vérifiés" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["version", "scan", "sheet", "kbis"])
def test_a_file_swapped_under_the_same_name_is_named(stored: dict[str, Any], kind: str) -> None:
    name = stored[kind]
    default_storage.delete(name)
    default_storage.save(name, SimpleUploadedFile("x.pdf", one_page_pdf("Autre contenu")))
    error = verification_error()
    assert "Fichier modifié" in str(error) and name in str(error)
    assert error.returncode == 1


def test_a_missing_file_is_named(stored: dict[str, Any]) -> None:
    default_storage.delete(stored["sheet"])
    error = verification_error()
    assert "Fichier manquant" in str(error) and stored["sheet"] in str(error)
