"""The sealed certificate: the organisation's stamp printed once, inside its frame; the
visible seal over no text; its caption coherent with « Je soussigné(e) »; pdfsig and
pyHanko accept it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest

from realisa.certificates.models import Certificate
from realisa.certificates.validation import validate_hours
from realisa.documents.services import latest_version
from tests.conftest import World
from tests.documents.conftest import poppler
from tests.online.conftest import web
from tests.online.test_sealed_versions import assert_sealed, certify, pdf_of

pytestmark = pytest.mark.django_db

Rect = tuple[float, float, float, float]
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
PAGE_HEIGHT = 841.89  # A4; pdftotext measures from the top, PDF from the bottom


def sealed(world: World, *, validated: bool = False) -> bytes:
    """The month certified online (and validated by the beneficiary): its latest PDF."""
    organisation = world.dossier.organisation
    organisation.legal_representative_title = "Directrice"
    organisation.save(update_fields=["legal_representative_title"])
    certificate = latest_certificate(world)
    certificate = certify(world, certificate)
    if validated:
        certificate = validate_hours(
            certificate, actor=world.beneficiary, request=web(world.beneficiary)
        )
    return pdf_of(certificate)


def latest_certificate(world: World) -> Certificate:
    return Certificate.objects.get(dossier=world.dossier)


def widget(pdf: bytes) -> Any:
    """The seal's signature widget: on the certificate's first page, the only one."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = [
        (number, annotation.get_object())
        for number, page in enumerate(reader.pages)
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/FT") == "/Sig"
    ]
    assert len(found) == 1 and found[0][0] == 0
    return found[0][1]


def rect_of(pdf: bytes) -> Rect:
    left, bottom, right, top = (float(v) for v in widget(pdf)["/Rect"])
    return left, bottom, right, top


def words(pdf: bytes, tmp_path: Path, *, with_annotations: bool) -> list[tuple[Rect, str]]:
    """The first page's words and their boxes (PDF points from the bottom left), as
    pdftotext -bbox reads them, with or without the annotations (the seal's appearance)."""
    if not with_annotations:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf))
        del writer.pages[0][pypdf.generic.NameObject("/Annots")]
        out = io.BytesIO()
        writer.write(out)
        pdf = out.getvalue()
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    found = []
    for x0, y0, x1, y1, word in WORD.findall(
        poppler("pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-")
    ):
        box = (float(x0), PAGE_HEIGHT - float(y1), float(x1), PAGE_HEIGHT - float(y0))
        found.append((box, word))
    return found


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner: Rect, outer: Rect) -> bool:
    return all(
        (outer[0] <= inner[0], outer[1] <= inner[1], inner[2] <= outer[2], inner[3] <= outer[3])
    )


@pytest.mark.parametrize("validated", [False, True], ids=["certified", "validated"])
def test_the_seal_covers_no_text_and_sits_inside_the_empty_frame(
    ready: World, entered: Certificate, tmp_path: Path, pdfsig: Any, validated: bool
) -> None:
    pdf = sealed(ready, validated=validated)
    seal = rect_of(pdf)

    page_words = words(pdf, tmp_path, with_annotations=False)
    assert len(page_words) > 150  # the page's text is there, read with its positions
    assert [word for box, word in page_words if overlaps(box, seal)] == []
    caption = [
        word for box, word in words(pdf, tmp_path, with_annotations=True) if inside(box, seal)
    ]
    assert " ".join(caption).startswith("Signé électroniquement par")  # the seal's own text
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        frames = [
            (r["x0"], PAGE_HEIGHT - r["bottom"], r["x1"], PAGE_HEIGHT - r["top"])
            for r in document.pages[0].rects
        ]
    assert any(inside(seal, frame) for frame in frames), "the seal is drawn inside the frame"
    assert_sealed(pdf, pdfsig)


def images_of(xobject: Any) -> int:
    """How many images a content's resources draw, inside its forms too."""
    resources = xobject.get("/Resources", {})
    count = 0
    for item in resources.get("/XObject", {}).values():
        item = item.get_object()
        if item.get("/Subtype") == "/Image":
            count += 1
        elif item.get("/Subtype") == "/Form":
            count += images_of(item)
    return count


def test_the_stamp_is_printed_once_by_the_seal(ready: World, entered: Certificate) -> None:
    pdf = sealed(ready)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]

    assert images_of(page) == 1  # the organisation's logo, in the page's header
    assert images_of(widget(pdf)["/AP"]["/N"].get_object()) == 1  # the stamp, in the seal
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        (logo,) = document.pages[0].images
    assert logo["top"] < 150  # the logo at the top; no second stamp anywhere on the page


def caption_of(pdf: bytes) -> str:
    """The caption's lines as the seal writes them: glyphs of its embedded font, each line
    marked with the words it shows (/ActualText), which copy and screen readers read."""
    appearance = widget(pdf)["/AP"]["/N"].get_object()
    stream = pypdf.generic.ContentStream(appearance, None)
    return " ".join(
        str(operands[1]["/ActualText"])
        for operands, op in stream.operations
        if op == b"BDC" and "/ActualText" in operands[1]
    )


def test_someone_else_than_the_legal_representative_signs_on_their_authority(
    ready: World, entered: Certificate
) -> None:
    caption = caption_of(sealed(ready))

    name = ready.of_user.get_full_name()
    organisation = ready.dossier.organisation.name
    assert caption.startswith(
        f"Signé électroniquement par {name}, sur habilitation de Sophie Lambert, Directrice, "
        f"pour {organisation}, le 02/04/2026 à "
    )


def test_the_legal_representative_signs_in_their_own_name(
    ready: World, entered: Certificate
) -> None:
    organisation = ready.dossier.organisation
    organisation.legal_representative = ready.of_user.get_full_name()
    organisation.save(update_fields=["legal_representative"])

    caption = caption_of(sealed(ready))

    assert caption.startswith(
        f"Signé électroniquement par {ready.of_user.get_full_name()}, Directrice, "
        f"pour {organisation.name}, le 02/04/2026 à "
    )
    assert "habilitation" not in caption


def test_the_draft_before_certification_is_marked_and_the_sealed_version_is_not(
    ready: World, entered: Certificate, tmp_path: Path
) -> None:
    draft = latest_version(entered)
    assert draft is not None
    with draft.file.open("rb") as handle:
        draft_pdf = handle.read()
    pdf = sealed(ready)

    assert "Document provisoire — non certifié" in poppler_text(draft_pdf, tmp_path)
    assert "provisoire" not in poppler_text(pdf, tmp_path)


def poppler_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return poppler("pdftotext", str(path), "-")
