"""Rendering a certificate's PDF from the Typst template and its data.

The template (``templates_typst/certificate.typ``) reads ``sys.inputs``: ``data`` (the
JSON of ``CertificateData.template_fields()``), ``qr`` (an SVG), and ``logo`` (the
image's bytes as a JSON array of numbers, which Typst turns back into bytes).
Only the fonts bundled with Typst are used (Libertinus Serif; DejaVu Sans Mono and New
Computer Modern Math for ☐/☒), so the output is the same on every machine; Typst embeds
them.

The page leaves its « Cachet et signature » frame empty and labels it ``<seal-box>``;
``render_certificate`` reads where the layout put it (``SealBox``), so that the seal is
drawn there and nowhere else: inside its frame, over no text.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typst
import zxingcpp

from realisa.documents import qr_payload
from realisa.documents.data import DRAFT_WORDS, CertificateData
from realisa.documents.sealing_keys import seal_keys

if TYPE_CHECKING:  # the names Typst's type stubs give its PDF standards
    from typst import PDFStandard

TEMPLATE = Path(__file__).parent / "templates_typst" / "certificate.typ"

# PDF/A-3b (archival, with associated files) and PDF/UA-1 (tagged, accessible): Typst
# checks both while it compiles, and refuses what either forbids (an image without
# alternative text, a font it cannot embed). See docs/security.md.
PDF_STANDARDS: list[PDFStandard] = ["a-3b", "ua-1"]

_local = threading.local()


def typst_compiler() -> typst.Compiler:
    """One compiler per thread, for every template of ``templates_typst``: it keeps its
    fonts and caches between renders (a new one costs about 8 ms, a reused one 2 ms for
    an evidence page). Its root is the templates' folder: the only files a template may
    read."""
    compiler: typst.Compiler | None = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(TEMPLATE.parent), ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


DARK_RUN = re.compile(rb"\x00+")  # in the code's image, a dark module is a 0 byte


def qr_svg(url: str) -> str:
    """The QR code of ``url`` (error correction M, no quiet zone: the page leaves white
    around it) as an SVG of one horizontal stroke per run of dark modules. zxing-cpp makes
    the code with zint's encoder, in C: 0.5 ms where segno, in Python, took 1.8 ms with its
    mask fixed; zint keeps the best of the eight masks and the smallest version."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    # One byte a module; the image is a buffer, which zxing-cpp's type stubs do not say.
    image = memoryview(code.to_image(add_quiet_zones=False))  # type: ignore[arg-type]
    height, width = image.shape or (0, 0)
    modules = image.tobytes()
    path: list[str] = []
    x = y = 0.0  # where the previous stroke ended: each move is relative to it
    for row in range(height):
        middle = row + 0.5  # a stroke 1 wide runs along the middle of its row
        for run in DARK_RUN.finditer(modules, row * width, (row + 1) * width):
            start, end = run.start() - row * width, run.end() - row * width
            move = "m" if path else "M"
            path.append(f"{move}{start - x:g} {middle - y:g}h{end - start}")
            x, y = end, middle
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<path stroke="#000" d="{"".join(path)}"/></svg>\n'
    )


@lru_cache(maxsize=32)
def _bytes_literal(data: bytes) -> str:
    """``b"\\x89P"`` → ``"[137,80]"``: how bytes cross into Typst (inputs are text)."""
    return "[" + ",".join(map(str, data)) + "]"


# The draft's mark across the page: its words set by Typst in the template's font, then
# exported as SVG, where each letter is an outline. Drawn, not written, it does not mix its
# letters into the text of the page under it (copy, pdftotext, screen readers), which
# reads the same words once, in the banner at the top.
DRAFT_MARK = """#set page(width: auto, height: auto, margin: 0pt, fill: none)
#text(font: "Libertinus Serif", weight: "bold", size: 44pt, fill: rgb(200, 40, 40, 77),
  sys.inputs.words)
"""


@lru_cache(maxsize=4)
def draft_mark_svg(words: str = DRAFT_WORDS) -> str:
    """The drawing of ``words`` as an SVG of outlines, made once per process (3 ms)."""
    svg = typst.compile(
        DRAFT_MARK.encode(), format="svg", ignore_system_fonts=True, sys_inputs={"words": words}
    )
    if not isinstance(svg, bytes):  # one page, one SVG
        raise TypeError("Typst returned several pages for the draft's mark")
    return svg.decode()


def qr_text(url: str, record: bytes) -> str:
    """What the QR code says: the verification link ``url``, then, after ``#``, the signed
    payload of the facts of ``certificat.json`` (``qr_payload``), which a browser never
    sends."""
    if not record:
        return url
    token = qr_payload.sign(qr_payload.Payload.from_record(record), seal_keys())
    return f"{url}#{token}"


def template_inputs(data: CertificateData) -> dict[str, str]:
    inputs = {
        "data": json.dumps(data.template_fields(), ensure_ascii=False),
        "qr": qr_svg(qr_text(data.verification_url, data.record)),
    }
    if data.logo is not None:
        inputs["logo"] = _bytes_literal(data.logo)
    if data.record:
        inputs["record"] = data.record.decode()
    if data.draft:
        inputs["draft_mark"] = draft_mark_svg()
    return inputs


SEAL_INSET = 2  # pt between the frame's stroke and the seal drawn inside it


@dataclass(frozen=True)
class SealBox:
    """The empty « Cachet et signature » frame: its page (from 0) and the rectangle inside
    its stroke, in PDF points from the page's bottom left, as pyHanko takes a field's box."""

    page: int
    rect: tuple[int, int, int, int]

    @classmethod
    def from_layout(cls, found: dict[str, float]) -> SealBox:
        """From the template's ``<seal-box>`` metadata: Typst measures from the top left."""
        left, top = found["x"], found["page_height"] - found["y"]
        right, bottom = left + found["width"], top - found["height"]
        rect = (left + SEAL_INSET, bottom + SEAL_INSET, right - SEAL_INSET, top - SEAL_INSET)
        inner = (math.ceil(rect[0]), math.ceil(rect[1]), math.floor(rect[2]), math.floor(rect[3]))
        return cls(page=int(found["page"]) - 1, rect=inner)


@dataclass(frozen=True)
class Page:
    """A rendered certificate and where its seal goes."""

    pdf: bytes
    seal_box: SealBox


def render_certificate(data: CertificateData, *, created_at: datetime | None = None) -> bytes:
    """The PDF of one certificate; ``created_at`` is written as the document's date."""
    return render_page(data, created_at=created_at).pdf


def render_page(
    data: CertificateData,
    *,
    created_at: datetime | None = None,
    evidence: dict[str, Any] | None = None,
) -> Page:
    """The PDF of one certificate and the place of its seal, read from the same layout
    (Typst answers the query from what it has just compiled, in about 0.1 ms).
    ``evidence``, the evidence page's data (``evidence_pages.page_data``), is drawn as the
    last page in the same compilation: half the time of a page of its own merged after."""
    inputs = template_inputs(data)
    if evidence is not None:
        inputs["evidence"] = json.dumps(evidence, ensure_ascii=False)
    compiler = typst_compiler()
    pdf = compiler.compile(
        # By its path rather than its bytes: Typst then keeps what it made of the file
        # while it is unchanged (0.5 ms of a 13 ms render), and still sees an edit.
        input=TEMPLATE,
        format="pdf",
        sys_inputs=inputs,
        pdf_standards=PDF_STANDARDS,
        timestamp=created_at.replace(microsecond=0) if created_at else None,
    )
    if not isinstance(pdf, bytes):  # a PDF is one file, never a list of page images
        raise TypeError("Typst returned pages instead of one PDF")
    found = json.loads(compiler.query("<seal-box>", field="value", one=True))
    return Page(pdf, SealBox.from_layout(found))
