"""What the Typst template receives, made fast: the QR code's SVG, the organisation's logo."""

from __future__ import annotations

import io

import pytest
import segno
from django.core.files.base import ContentFile

from realisa.demo.files import logo_png
from realisa.documents.data import read_image
from realisa.documents.render import QR_MASK, qr_svg
from tests.factories import OrganisationFactory


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
def test_the_qr_code_svg_is_the_one_segno_writes(site: str, reference: str) -> None:
    url = f"{site}/documents/verifier/{reference}/"
    buffer = io.BytesIO()
    code = segno.make(url, error="m", mask=QR_MASK)
    code.save(buffer, kind="svg", border=0, xmldecl=False)
    assert qr_svg(url) == buffer.getvalue().decode()


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
