"""The seal's caption agrees with « Je soussigné(e) <représentant légal> »: it says who
signed and, when that is someone else, on whose authority; it fits its box."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realisa.demo.files import stamp_png
from realisa.documents.seal_appearance import LETTER_WIDTH, SealAppearance, in_font, leading

WHEN = datetime(2026, 4, 2, 7, 0, tzinfo=UTC)  # 09:00 in Paris
STAMP = stamp_png("Formapro Est", "Metz")
BOX = (59, 261, 372, 347)  # the certificate's frame, as its layout puts it


def look(signer: str, representative: str = "Sophie Lambert", title: str = "") -> SealAppearance:
    return SealAppearance(
        signer,
        "Formapro Est",
        STAMP,
        box=BOX,
        representative=representative,
        representative_title=title,
    )


def test_someone_else_signs_on_the_legal_representatives_authority() -> None:
    caption = look("Nadia Benali", title="Directrice").caption(WHEN)

    assert caption == (
        "Signé électroniquement par Nadia Benali, sur habilitation de Sophie Lambert, "
        "Directrice, pour Formapro Est, le 02/04/2026 à 09:00"
    )


def test_the_legal_representative_signs_in_their_own_capacity() -> None:
    caption = look("Sophie Lambert", title="Représentante légale").caption(WHEN)

    assert caption == (
        "Signé électroniquement par Sophie Lambert, Représentante légale, "
        "pour Formapro Est, le 02/04/2026 à 09:00"
    )
    assert "habilitation" not in caption


def test_the_same_name_typed_otherwise_is_the_same_person() -> None:
    caption = look("  sophie  LAMBERT", representative="Sophie Lambert").caption(WHEN)

    assert "habilitation" not in caption
    assert caption.startswith(
        "Signé électroniquement par sophie  LAMBERT, représentant(e) légal(e), pour Formapro Est"
    )


def test_without_a_stored_title_the_capacity_is_the_models_own_neutral_words() -> None:
    caption = look("Nadia Benali").caption(WHEN)

    assert "sur habilitation de Sophie Lambert, représentant(e) légal(e), pour Formapro Est" in (
        caption
    )


def test_without_a_legal_representative_the_caption_names_the_signer_only() -> None:
    caption = look("Nadia Benali", representative="").caption(WHEN)

    assert caption == (
        "Signé électroniquement par Nadia Benali pour Formapro Est, le 02/04/2026 à 09:00"
    )


def test_letters_the_seals_font_lacks_lose_their_accent_only() -> None:
    assert in_font("Dvořák Łukasz N’Diaye Zoé") == "Dvorák ukasz N'Diaye Zoé"


names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "Zs", "Pd"]), min_size=1, max_size=60
)


@given(signer=names, representative=names, title=st.text(max_size=40), organisation=names)
@pytest.mark.parametrize("stamp", [STAMP, None], ids=["stamp", "no-stamp"])
def test_the_caption_always_fits_right_of_the_stamp(
    stamp: bytes | None, signer: str, representative: str, title: str, organisation: str
) -> None:
    appearance = SealAppearance(
        signer,
        organisation,
        stamp,
        box=BOX,
        representative=representative,
        representative_title=title,
    )
    size = appearance.font_size()
    lines = appearance.lines(WHEN).split("\n")
    left, bottom, right, top = BOX
    room = right - left - appearance.stamp_size()[0] - 8
    # a word longer than the line is cut; the caption is never wider than its room
    assert all(len(line) * size * LETTER_WIDTH <= room for line in lines)
    assert len(lines) * leading(size) <= top - bottom - 4
