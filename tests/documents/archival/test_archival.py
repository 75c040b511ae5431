"""Every document the portal makes is PDF/A-3b and PDF/UA-1, read from the stored file:
the draft, the certificate sealed online, its full evidence; and it carries
``certificat.json``, which says what the page says. A file that breaks a promise fails."""

from __future__ import annotations

import io
import json
from typing import Any

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from realisa.certificates.models import Certificate
from realisa.documents.models import CertificationEvidence
from realisa.documents.record import RECORD_FORMAT, RECORD_JSON
from realisa.documents.services import latest_version
from tests.certificates.conftest import plan_march
from tests.conftest import World
from tests.documents.archival.pdfa import pdfa_problems, pdfua_problems
from tests.documents.test_signed_version import certify_with, jpeg_scan, pdf_scan
from tests.online.test_sealed_versions import certify, pdf_of

pytestmark = pytest.mark.django_db


def record_of(pdf: bytes) -> dict[str, Any]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        spec = document.attachments[RECORD_JSON]
        assert spec.obj.AFRelationship == "/Data"
        return json.loads(spec.get_file().read_bytes())  # type: ignore[no-any-return]


def test_a_draft_is_pdfa_and_pdfua_and_carries_its_data(entered: Certificate) -> None:
    pdf = pdf_of(entered)

    assert pdfa_problems(pdf) == []
    assert pdfua_problems(pdf) == []
    record = record_of(pdf)
    version = latest_version(entered)
    assert version is not None
    assert record["format"] == RECORD_FORMAT
    assert (record["reference"], record["version"], record["provisoire"]) == (
        version.reference,
        version.number,
        True,
    )
    assert record["heures_minutes"] == {
        "presence_centre": entered.centre_minutes,
        "presence_stage": entered.internship_minutes,
        "absence": entered.absence_minutes,
        "presence_totale": entered.presence_minutes,
    }
    assert record["dossier"] == entered.dossier.number
    assert record["versions_precedentes"] == []


def test_the_sealed_certificate_and_its_evidence_stay_pdfa_and_pdfua(
    ready: World, entered: Certificate
) -> None:
    first = latest_version(entered)
    certified = certify(ready, entered)
    pdf = pdf_of(certified)
    evidence = CertificationEvidence.objects.get(certificate=certified)
    with evidence.file.open("rb") as handle:
        evidence_pdf = handle.read()

    assert pdfa_problems(pdf) == []
    assert pdfua_problems(pdf) == []
    assert pdfa_problems(evidence_pdf) == []
    assert pdfua_problems(evidence_pdf) == []
    record = record_of(pdf)
    assert record["provisoire"] is False
    assert first is not None
    assert record["versions_precedentes"] == [
        {"version": first.number, "reference": first.reference, "sha256": first.sha256}
    ]


def test_a_font_left_out_fails_the_check() -> None:
    out = io.BytesIO()
    page = canvas.Canvas(out)  # Helvetica, one of the 14 fonts a reader is assumed to have
    page.drawString(72, 720, "Certificat de réalisation")
    page.save()

    assert any("police non incorporée" in p for p in pdfa_problems(out.getvalue()))


def test_a_file_attached_without_its_relationship_fails_the_check(entered: Certificate) -> None:
    with pikepdf.open(io.BytesIO(pdf_of(entered))) as document:
        document.attachments["autre.json"] = pikepdf.AttachedFileSpec(document, b"{}")
        del document.attachments["autre.json"].obj["/AFRelationship"]
        out = io.BytesIO()
        document.save(out)

    problems = pdfa_problems(out.getvalue())

    assert "fichier joint sans relation (/AFRelationship) : autre.json" in problems
    assert "fichier joint sans type MIME (/Subtype) : autre.json" in problems


@pytest.mark.usefixtures("own_seal")
def test_a_paper_certificate_of_an_image_scan_is_pdfa_and_pdfua(world: World) -> None:
    plan_march(world.dossier)
    certified = certify_with(world, world.dossier, jpeg_scan(), "certificat-signe.jpg")

    pdf = pdf_of(certified)

    assert pdfa_problems(pdf) == []
    assert pdfua_problems(pdf) == []
    assert record_of(pdf)["heures_minutes"]["presence_centre"] == certified.centre_minutes


@pytest.mark.usefixtures("own_seal")
def test_a_paper_certificate_of_a_pdf_scan_keeps_the_scan_as_uploaded(world: World) -> None:
    """The cover the portal draws carries certificat.json; the scan's pages are copied as
    they are, so the whole does not claim PDF/A (docs/verification.md)."""
    plan_march(world.dossier)
    certified = certify_with(world, world.dossier, pdf_scan(), "certificat-signe.pdf")

    record = record_of(pdf_of(certified))

    assert record["provisoire"] is False
    assert record["dossier"] == world.dossier.number
