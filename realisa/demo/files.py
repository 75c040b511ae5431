"""Small real files for the demo: a logo, a stamp, one-page PDFs."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont


def logo_png(initials: str, colour: str) -> bytes:
    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 116, 116), radius=18, fill=colour)
    draw.text((60, 60), initials, fill="white", anchor="mm", font=ImageFont.load_default(54))
    return _png(image)


def stamp_png(name: str, city: str) -> bytes:
    image = Image.new("RGBA", (300, 300), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    blue = (29, 58, 138, 255)
    draw.ellipse((10, 10, 290, 290), outline=blue, width=8)
    draw.ellipse((34, 34, 266, 266), outline=blue, width=3)
    draw.text((150, 130), name, fill=blue, anchor="mm", font=ImageFont.load_default(28))
    draw.text((150, 175), city, fill=blue, anchor="mm", font=ImageFont.load_default(24))
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def one_page_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII), with an exact cross-reference table."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 72 760 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
