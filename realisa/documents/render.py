"""Rendering a certificate's PDF from the Typst template and its data.

The template (``templates_typst/certificate.typ``) reads ``sys.inputs``: ``data`` (the
JSON of ``CertificateData.template_fields()``), ``qr`` (an SVG), and ``logo``/``stamp``
(the image's bytes as a JSON array of numbers, which Typst turns back into bytes).
Only the fonts bundled with Typst are used (Libertinus Serif, DejaVu Sans Mono), so the
output is the same on every machine; Typst embeds them.
"""

from __future__ import annotations

import io
import json
import threading
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import segno
import typst

from realisa.documents.data import CertificateData

TEMPLATE = Path(__file__).parent / "templates_typst" / "certificate.typ"

_local = threading.local()


def _compiler() -> typst.Compiler:
    """One compiler per thread: it keeps its fonts and caches between renders."""
    compiler: typst.Compiler | None = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", border=0, xmldecl=False)
    return buffer.getvalue().decode()


@lru_cache(maxsize=32)
def _bytes_literal(data: bytes) -> str:
    """``b"\\x89P"`` → ``"[137,80]"``: how bytes cross into Typst (inputs are text)."""
    return "[" + ",".join(map(str, data)) + "]"


def template_inputs(data: CertificateData) -> dict[str, str]:
    inputs = {
        "data": json.dumps(data.template_fields(), ensure_ascii=False),
        "qr": qr_svg(data.verification_url),
    }
    if data.logo is not None:
        inputs["logo"] = _bytes_literal(data.logo)
    if data.show_stamp and data.stamp is not None:
        inputs["stamp"] = _bytes_literal(data.stamp)
    return inputs


def render_certificate(data: CertificateData, *, created_at: datetime | None = None) -> bytes:
    """The PDF of one certificate; ``created_at`` is written as the document's date."""
    pdf = _compiler().compile(
        input=TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs=template_inputs(data),
        timestamp=created_at.replace(microsecond=0) if created_at else None,
    )
    if not isinstance(pdf, bytes):  # a PDF is one file, never a list of page images
        raise TypeError("Typst returned pages instead of one PDF")
    return pdf
