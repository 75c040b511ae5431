"""make bench: how long a certificate's PDF takes, against a bare baseline.

Renders N certificates (default 200) three ways, in the same run, and prints the median
per certificate:

- baseline: the same page drawn directly with ReportLab (no template, no database);
- ours: ``render_certificate`` with the Typst template, from data already built;
- whole path: create the month's Certificate row, then ``generate_version`` (lock, build
  the data from the database, render, store the file, record the audit event).

Target: ours at most 2× the baseline (median). Exit status 1 when it is missed.
Runs on a temporary SQLite database and storage, never on the project's data.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from common import bench_line, setup_django

TARGET_RATIO = 2.0
BASELINE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def make_dossiers(count: int) -> list[Any]:
    from django.core.files.base import ContentFile

    from realisa.choices import Civility
    from realisa.demo.files import logo_png
    from realisa.demo.world import siret
    from realisa.dossiers.models import Beneficiary, Dossier, Employer
    from realisa.organisations.models import Organisation

    organisation = Organisation(
        name="Formapro Est",
        siret=siret("41234567"),
        nda="44670123467",
        address="12 rue du Faubourg National",
        postal_code="67000",
        city="Strasbourg",
        legal_representative="Sophie Lambert",
        legal_representative_title="Directrice",
    )
    organisation.logo.save("logo.png", ContentFile(logo_png("FE", "#1d3a8a")), save=False)
    organisation.save()
    employer = Employer.objects.create(name="Transports Lorrains SA")
    dossiers = []
    for n in range(count):
        beneficiary = Beneficiary.objects.create(
            civility=Civility.MME, first_name="Julie", last_name=f"Martin{n}"
        )
        dossiers.append(
            Dossier.objects.create(
                number=f"BENCH-{n:05d}",
                organisation=organisation,
                beneficiary=beneficiary,
                employer=employer,
                training_title="Titre professionnel Développeur web et web mobile",
                start_date=date(2026, 1, 12),
                end_date=date(2026, 6, 19),
            )
        )
    return dossiers


def baseline_pdf(data: Any) -> bytes:
    """The same page, drawn by hand with ReportLab: text, boxes, table, logo, QR code."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Times-Roman"
    if BASELINE_FONT.exists():
        if "BenchSerif" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("BenchSerif", str(BASELINE_FONT)))
        font = "BenchSerif"
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    if data.logo:
        page.drawImage(ImageReader(io.BytesIO(data.logo)), 57, height - 100, 150, 50)
    page.setFont(font, 11)
    for i, line in enumerate(
        (f"Financeur : {data.funder_name}", f"Dossier n° {data.dossier_number}", data.month)
    ):
        page.drawRightString(width - 57, height - 60 - 14 * i, line)
    page.setFont(font, 17)
    page.drawCentredString(width / 2, height - 150, "CERTIFICAT DE RÉALISATION")
    page.setFont(font, 11)
    lines = [
        f"Je soussigné(e) {data.legal_representative}, représentant légal du dispensateur de",
        "l'action concourant au développement des compétences " + data.organisation_name + ",",
        "atteste que :",
        f"{data.beneficiary}, salarié(e) de l'entreprise {data.employer},",
        f"a suivi l'action {data.training_title}",
        "Nature de l'action concourant au développement des compétences :",
        *(f"{'X' if box.ticked else ' '}  {box.label}" for box in data.natures),
        f"qui s'est déroulée du {data.first_day} au {data.last_day}",
        f"pour une durée de {data.duration}.",
    ]
    y = height - 185
    for line in lines:
        page.drawString(57, y, line)
        y -= 16
    for i, (head, value) in enumerate(
        (
            ("Présence en centre", data.centre),
            ("Présence en stage", data.internship),
            ("Total", data.presence),
            ("Absences", data.absence),
        )
    ):
        x = 57 + i * 120
        page.rect(x, y - 40, 120, 40)
        page.drawCentredString(x + 60, y - 15, head)
        page.drawCentredString(x + 60, y - 32, value)
    y -= 70
    for line in (
        "Sans préjudice des délais imposés par les règles fiscales, comptables ou commerciales,",
        "je m'engage à conserver l'ensemble des pièces justificatives pendant 3 ans.",
        f"Fait à : {data.place}      Le : {data.issued_on}",
        "Cachet et signature du responsable du dispensateur de formation",
        f"{data.legal_representative}, {data.legal_representative_title}",
    ):
        page.drawString(57, y, line)
        y -= 16
    widget = QrCodeWidget(data.verification_url)
    drawing = Drawing(85, 85)
    drawing.add(widget)
    renderPDF.draw(drawing, page, width - 150, y - 60)
    page.setFont(font, 8)
    page.drawString(57, 40, f"Référence {data.reference} — {data.verification_url}")
    page.showPage()
    page.save()
    return buffer.getvalue()


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(count: int) -> dict[str, list[float]]:
    from realisa.certificates.models import Certificate
    from realisa.choices import VersionReason
    from realisa.documents.data import certificate_data
    from realisa.documents.render import render_certificate
    from realisa.documents.services import generate_version, new_reference

    dossiers = make_dossiers(count)
    month = date(2026, 1, 1)
    certificates = [
        Certificate.objects.create(dossier=d, month=month, centre_minutes=8430) for d in dossiers
    ]
    data = [
        certificate_data(c, reference=new_reference(), version=1, issued_on=date(2026, 2, 3))
        for c in certificates
    ]
    baseline_pdf(data[0]), render_certificate(data[0])  # warm-up: fonts, compiler
    times: dict[str, list[float]] = {"baseline": [], "ours": [], "whole": []}
    for item in data:
        times["baseline"].append(timed(lambda item=item: baseline_pdf(item)))
        times["ours"].append(timed(lambda item=item: render_certificate(item)))
    next_month = date(2026, 2, 1)

    def whole_path(dossier: Any) -> None:
        certificate = Certificate.objects.create(
            dossier=dossier, month=next_month, centre_minutes=8430
        )
        generate_version(certificate, reason=VersionReason.ENTRY, actor=None)

    for dossier in dossiers:
        times["whole"].append(timed(lambda dossier=dossier: whole_path(dossier)))
    return times


def report(times: dict[str, list[float]], count: int) -> bool:
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    ratio = medians["ours"] / medians["baseline"]
    rows = [
        ("ReportLab, page dessinée directement (référence)", medians["baseline"], "1.00×"),
        ("Typst, modèle certificate.typ (render_certificate)", medians["ours"], f"{ratio:.2f}×"),
        ("Chemin complet : certificat créé → version stockée", medians["whole"], "—"),
    ]
    print(f"\nCertificat de réalisation : {count} rendus, médiane par certificat\n")
    print(f"| {'mesure':<52} | {'médiane':>10} | {'ratio':>6} |")
    print(f"|{'-' * 54}|{'-' * 12}|{'-' * 8}|")
    for label, value, shown in rows:
        print(f"| {label:<52} | {value:>7.2f} ms | {shown:>6} |")
    met = ratio <= TARGET_RATIO
    verdict = "atteint" if met else "NON atteint"
    print(f"\nObjectif : Typst ≤ {TARGET_RATIO:.0f}× la référence — {verdict} ({ratio:.2f}×).")
    bench_line(
        "Rendu d'un certificat (Typst), médiane",
        medians["ours"],
        "ms",
        baseline=medians["baseline"],
        ratio=ratio,
        target=f"≤ {TARGET_RATIO:g}× la page ReportLab nue",
        met=met,
        note=f"chemin complet jusqu'à la version stockée : {medians['whole']:.1f} ms",
        key="render",
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=200, help="certificats (200)")
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory(prefix="realisa-bench-") as folder:
        setup_django(folder)
        met = report(measure(count), count)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
