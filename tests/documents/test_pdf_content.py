"""The PDF follows the Ministère du Travail model, with the month's values."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
import time_machine
import zxingcpp
from django.conf import settings
from PIL import Image

from realisa.choices import ActionNature, VersionReason
from realisa.documents.services import generate_version
from tests.documents.conftest import make_certificate, pdf_text, poppler

PARIS = ZoneInfo("Europe/Paris")
ISSUED = datetime(2026, 2, 3, 10, 0, tzinfo=PARIS)


def breakdown(pdf: bytes) -> list[list[str]]:
    """The hours table of the page, cell by cell."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        (table,) = document.pages[0].extract_tables()
    return [[" ".join(cell.split()).replace("’", "'") for cell in row] for row in table]


def issued_pdf(certificate: object) -> tuple[bytes, str]:
    with time_machine.travel(ISSUED, tick=False):
        version = generate_version(certificate, reason=VersionReason.ENTRY, actor=None)
    with version.file.open("rb") as handle:
        return handle.read(), version.reference


@pytest.mark.parametrize("nature", ActionNature.values)
@pytest.mark.parametrize("with_employer", [True, False], ids=["employer", "no-employer"])
def test_the_pdf_shows_every_field_of_the_model(
    db: None, tmp_path: Path, nature: str, with_employer: bool
) -> None:
    certificate = make_certificate(nature=nature, with_employer=with_employer)
    pdf, reference = issued_pdf(certificate)
    text = pdf_text(pdf, tmp_path)

    expected = [
        "CERTIFICAT DE RÉALISATION",
        "Je soussigné(e) Sophie Lambert, représentant légal du dispensateur de l'action "
        "concourant au développement des compétences Formapro Est,",
        "atteste que :",
        "Nature de l'action concourant au développement des compétences :",
        "qui s'est déroulée du 12 janvier 2026 au 31 janvier 2026",
        "pour une durée de 140 heures 30.",
        "je m'engage à conserver l'ensemble des pièces justificatives qui ont permis "
        "d'établir le présent certificat pendant une durée de 3 ans à compter de la fin "
        "de l'année du dernier paiement.",
        "Fait à : Strasbourg",
        "Le : 3 février 2026",
        "Cachet et signature du responsable du dispensateur de formation",
        "Sophie Lambert, Directrice",
        "Projet de transition professionnelle (PTP) : le certificat de réalisation est "
        "transmis mensuellement.",
        f"Financeur : {settings.FUNDER_NAME}",
        f"Dossier n° {certificate.dossier.number}",
        "Mois : janvier 2026",
        f"Référence : {reference}",
    ]
    for phrase in expected:
        assert phrase in text, phrase
    assert breakdown(pdf) == [
        [
            "Présence en centre",
            "Présence en stage",
            "Total des heures réalisées",
            "Heures d'absence",
        ],
        ["120 h 30", "20 h", "140 h 30", "7 h"],
    ]
    if with_employer:
        assert (
            "Mme Julie MARTIN, salarié(e) de l'entreprise Transports Lorrains SA, "
            "a suivi l'action Titre professionnel Développeur web" in text
        )
    else:
        assert "Mme Julie MARTIN, a suivi l'action Titre professionnel Développeur web" in text
        assert "salarié(e)" not in text
    for value, label in ActionNature.choices:
        box = "☒" if value == nature else "☐"
        assert f"{box} {label}" in text


def test_a_missing_legal_representative_leaves_a_line_to_fill_in(db: None, tmp_path: Path) -> None:
    certificate = make_certificate()
    organisation = certificate.dossier.organisation
    organisation.legal_representative = ""
    organisation.save(update_fields=["legal_representative"])
    text = pdf_text(issued_pdf(certificate)[0], tmp_path)
    assert "Je soussigné(e) …………………… , représentant légal" in text


def test_the_qr_code_leads_to_the_verification_page_of_the_reference(
    db: None, tmp_path: Path
) -> None:
    pdf, reference = issued_pdf(make_certificate())
    (tmp_path / "certificat.pdf").write_bytes(pdf)
    poppler("pdftoppm", "-r", "200", "-png", "-singlefile", "certificat.pdf", "page", cwd=tmp_path)
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [code.text.split("#")[0] for code in codes] == [
        f"{settings.SITE_URL}/documents/verifier/{reference}/"
    ]


def test_the_pdf_is_one_a4_page_with_its_fonts_embedded(db: None, tmp_path: Path) -> None:
    pdf, _ = issued_pdf(make_certificate())
    path = tmp_path / "certificat.pdf"
    path.write_bytes(pdf)
    info = poppler("pdfinfo", str(path))
    assert "Pages:           1" in info
    assert "(A4)" in info
    fonts = poppler("pdffonts", str(path))
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        embedded = row.split()[-5]
        assert embedded == "yes", row
