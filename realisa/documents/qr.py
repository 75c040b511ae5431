"""Reading a certificate's QR code back from a signed scan (« Certifier en lot », paper).

The QR code printed on every certificate holds the address of its verification page,
``…/documents/verifier/<reference>/``, the reference of the version printed. A scan is a
PDF whose pages are usually pictures: each of its first pages is drawn (pypdfium2, at
about 200 dpi) and searched for QR codes (zxing-cpp); the first one that is such an
address gives the reference.
"""

from __future__ import annotations

import re

import pypdfium2
import zxingcpp

PAGES = 3  # the QR code is on the certificate's first page; a scan may start with a cover
SCALE = 200 / 72  # PDF points to pixels at 200 dpi: a printed QR code of 2.5 cm reads well
# The link, then, on a certificate, its signed payload after a « # » (``qr_payload``).
REFERENCE = re.compile(r"/documents/verifier/([A-Za-z0-9-]{4,40})/?(?:#[A-Za-z0-9_.-]*)?$")


def references_in(pdf: bytes) -> list[str]:
    """The certificate references of the QR codes on the scan's first pages, in order."""
    found: list[str] = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(min(len(document), PAGES)):
            image = document[index].render(scale=SCALE).to_pil()
            for barcode in zxingcpp.read_barcodes(image):
                if barcode.format != zxingcpp.BarcodeFormat.QRCode:
                    continue
                match = REFERENCE.search(barcode.text.strip())
                if match and match[1] not in found:
                    found.append(match[1])
    finally:
        document.close()
    return found
