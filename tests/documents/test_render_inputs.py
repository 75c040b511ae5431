"""What the Typst template receives, made fast: the QR code's SVG, the organisation's logo."""

from __future__ import annotations

import re

import pytest
import zxingcpp
from django.core.files.base import ContentFile
from PIL import Image

from realisa.demo.files import logo_png
from realisa.documents.data import read_image
from realisa.documents.render import qr_svg
from tests.factories import OrganisationFactory


def modules_of(svg: str) -> list[list[bool]]:
    """The dark modules that the SVG's strokes cover, read back from its path."""
    size = int(re.search(r'width="(\d+)"', svg)[1])  # type: ignore[index]
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for move, dx, dy, length in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", svg):
        x, y = (x + float(dx), y + float(dy)) if move == "m" else (float(dx), float(dy))
        for column in range(int(x), int(x) + int(length)):
            grid[int(y)][column] = True
        x += int(length)
    return grid


def scan(grid: list[list[bool]]) -> zxingcpp.Barcode | None:
    """What a phone reads from the code printed with a quiet zone of four modules."""
    scale, border = 8, 4
    side = (len(grid) + 2 * border) * scale
    image = Image.new("L", (side, side), 255)
    for row, modules in enumerate(grid):
        for column, dark in enumerate(modules):
            if dark:
                left, top = (column + border) * scale, (row + border) * scale
                image.paste(0, (left, top, left + scale, top + scale))
    return zxingcpp.read_barcode(image, formats=zxingcpp.BarcodeFormat.QRCode)


@pytest.mark.parametrize(
    "site",
    [
        "http://localhost:8000",
        "https://realisa.example.org",
        "https://certificats-de-realisation.transitions-pro-grand-est.example.fr",
    ],
)
@pytest.mark.parametrize(
    "reference", ["RC-7K4M-9QX2-HP3D", "RC-0000-0000-0000", "RC-ZZZZ-1A2B-3C4D"]
)
def test_the_qr_code_svg_reads_back_as_the_verification_url(site: str, reference: str) -> None:
    url = f"{site}/documents/verifier/{reference}/"
    svg = qr_svg(url)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width=')

    code = scan(modules_of(svg))

    assert code is not None and code.text == url
    assert code.ec_level == "M"


def test_a_logo_is_read_from_storage_once_per_stored_name(db: None) -> None:
    organisation = OrganisationFactory()
    organisation.logo.save("logo.png", ContentFile(logo_png("A", "#000")), save=True)
    first = read_image(organisation.logo)
    assert first is not None and first.startswith(b"\x89PNG")
    organisation.logo.storage.delete(organisation.logo.name)
    assert read_image(organisation.logo) == first  # a name always means the same bytes

    organisation.logo.save("logo.png", ContentFile(logo_png("B", "#fff")), save=True)
    second = read_image(organisation.logo)  # a new upload: a new name, read afresh
    assert second is not None and second != first


def test_a_missing_image_is_none_and_not_remembered(db: None) -> None:
    organisation = OrganisationFactory()
    organisation.logo.name = "logos/gone.png"
    assert read_image(organisation.logo) is None
    organisation.logo.storage.save("logos/gone.png", ContentFile(logo_png("C", "#000")))
    assert read_image(organisation.logo) is not None
