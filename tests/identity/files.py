"""Real files, good and bad, for the upload rules."""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from realisa.demo.files import one_page_pdf


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(one_page_pdf("Secret"))))
    writer.encrypt("mot-de-passe")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def executable() -> bytes:
    """A real program of this machine (an ELF binary)."""
    return Path(shutil.which("true") or "/bin/true").read_bytes()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>'
)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), "navy").save(out, format="JPEG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(out, format="GIF")
    return out.getvalue()


def pixel_bomb() -> bytes:
    """A real 6,000 x 6,000 PNG (36 million pixels) of a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk with its right length and CRC."""
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def header_bomb() -> bytes:
    """A PNG whose header declares 100,000 x 100,000 pixels, in 100 bytes."""
    chunk = _chunk
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def corrupt_idat() -> bytes:
    """A 40 x 40 PNG whose every chunk has its right CRC, but whose pixel data (IDAT) is
    not a valid deflate stream: only decoding the pixels shows it is broken."""
    header = struct.pack(">IIBBBBB", 40, 40, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"\x78\x9c" + bytes(range(7, 250)))
        + _chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """A JPEG cut in the middle of its pixel data."""
    whole = jpeg()
    return whole[: len(whole) * 2 // 3]


def eleven_megabytes() -> bytes:
    return b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
