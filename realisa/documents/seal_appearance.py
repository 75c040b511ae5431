"""What a seal shows on the page: the organisation's stamp, then who signed, for whom and
when, in the frame the page leaves for it (``render.SealBox``), never over its text."""

from __future__ import annotations

import io
import textwrap
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from django.utils import timezone
from PIL import Image
from pyhanko.pdf_utils import images, layout, text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.stamp import TextStampStyle

# A4 is 595 × 842 pt: a 225 × 70 pt box at the bottom right, inside a 35 pt margin. A
# certificate gives its own box instead: the empty frame its layout left (``render.SealBox``).
DEFAULT_BOX = (335, 40, 560, 110)
# The caption, as pyHanko's stamp fills it: ``caption`` is who signed, for whom, cut into
# lines that fit the box; ``ts`` is the signature's own time (its /M), in the process's
# zone, which Django sets from TIME_ZONE (the TZ variable).
CAPTION = "%(caption)s\nle %(ts)s"
MOMENT = "%d/%m/%Y à %H:%M"
# The caption's font is DejaVu Sans Mono, embedded (PDF/A wants every font in the file, and
# pyHanko's default Courier is not): every letter is as wide, so a line's width is its
# length. The caption keeps to Windows-1252's letters (``in_font``), as when it was
# Courier: a name reads the same on every sealed version.
FONT = Path(__file__).parent / "fonts" / "DejaVuSansMono-cachet.ttf"  # see fonts/README.md
FONT_SIZES = (8, 7, 6)
LETTER_WIDTH = 0.62  # DejaVu Sans Mono's advance is 0.602 em; pyHanko sets the text a few pt in
LEADING = 1.25
PADDING = 2  # pt around the stamp and the caption, inside the box
# When the signer is not the legal representative: « sur habilitation de … », which needs
# no agreement with a gender the portal does not know; the representative's capacity is
# their title as the organisation stored it, or the model's own « représentant(e) légal(e) ».
MANDATE = "sur habilitation de"
DEFAULT_CAPACITY = "représentant(e) légal(e)"


class Signatory(Protocol):
    """The organisation a seal is made for, as its caption names it."""

    @property
    def name(self) -> str: ...
    @property
    def legal_representative(self) -> str: ...
    @property
    def legal_representative_title(self) -> str: ...


class Frame(Protocol):
    """Where a page leaves room for its seal (``render.SealBox``)."""

    @property
    def page(self) -> int: ...
    @property
    def rect(self) -> tuple[int, int, int, int]: ...


@dataclass(frozen=True)
class SealAppearance:
    """What the seal shows on the page: the organisation's stamp and who signed, for whom,
    when. ``representative`` (and their ``representative_title``) is the organisation's
    legal representative, who signs « Je soussigné(e) » on the certificate: when someone
    else signs, the caption says on whose authority."""

    signer_name: str
    organisation: str
    stamp_png: bytes | None = None
    box: tuple[int, int, int, int] = DEFAULT_BOX
    page: int = 0
    representative: str = ""
    representative_title: str = ""

    @classmethod
    def in_frame(
        cls, signer_name: str, organisation: Signatory, stamp_png: bytes | None, frame: Frame
    ) -> SealAppearance:
        """The seal of ``signer_name`` for ``organisation``, in the ``frame`` of the page."""
        return cls(
            signer_name,
            organisation.name,
            stamp_png,
            box=frame.rect,
            page=frame.page,
            representative=organisation.legal_representative,
            representative_title=organisation.legal_representative_title,
        )

    def caption(self, when: datetime) -> str:
        """« Signé électroniquement par Nadia Benali, sur habilitation de Sophie Lambert,
        Directrice, pour Formapro Est, le 02/04/2026 à 09:00 »."""
        return self.lines(when).replace("\n", " ")

    def lines(self, when: datetime) -> str:
        """The caption cut into lines, as the seal draws them in its box."""
        moment = timezone.localtime(when).strftime(MOMENT)
        return CAPTION % {**self.text_params(), "ts": moment}

    def sentence(self) -> str:
        """Who signed, for whom, as one sentence without the time."""
        signer, capacity = self.signer_name.strip(), self.representative_title.strip()
        representative = self.representative.strip()
        if representative and same_person(signer, representative):
            return f"Signé électroniquement par {signer}, {capacity or DEFAULT_CAPACITY}, " + (
                f"pour {self.organisation},"
            )
        if representative:
            signer += f", {MANDATE} {representative}, {capacity or DEFAULT_CAPACITY},"
        return f"Signé électroniquement par {signer} pour {self.organisation},"

    def font_size(self) -> int:
        """The largest size at which the caption fits the room the stamp leaves."""
        for size in FONT_SIZES:
            if len(self._wrapped(size)) + 1 <= self._room()[1] / leading(size):
                return size
        return FONT_SIZES[-1]

    def text_params(self) -> dict[str, str]:
        """The caption's values other than the time, which pyHanko adds itself."""
        return {"caption": "\n".join(self._wrapped(self.font_size()))}

    def stamp_size(self) -> tuple[int, int]:
        """How large the stamp is drawn: as high as the box, at the image's proportions,
        at most half its width (whole points: pyHanko's layout computes with fractions)."""
        if not self.stamp_png:
            return 0, 0
        image = _stamp_image(self.stamp_png)
        left, bottom, right, top = self.box
        scale = min((top - bottom - 2 * PADDING) / image.height, (right - left) / 2 / image.width)
        return int(image.width * scale), int(image.height * scale)

    def _room(self) -> tuple[int, int]:
        """The width and height left to the caption, right of the stamp."""
        left, bottom, right, top = self.box
        width = right - left - self.stamp_size()[0] - 4 * PADDING
        return width, top - bottom - 2 * PADDING

    def _wrapped(self, size: int) -> list[str]:
        letters = max(int(self._room()[0] / (size * LETTER_WIDTH)), 12)
        return textwrap.wrap(in_font(self.sentence()), letters, break_on_hyphens=False)


def leading(size: int) -> int:
    """The distance between the caption's lines, in whole points."""
    return round(size * LEADING)


def same_person(one: str, other: str) -> bool:
    """Two spellings of one name: case, accents and spaces aside."""

    def key(name: str) -> str:
        letters = unicodedata.normalize("NFKD", name.casefold())
        return " ".join("".join(c for c in letters if not unicodedata.combining(c)).split())

    return key(one) == key(other)


def in_font(text: str) -> str:
    """``text`` in Windows-1252's letters, as the caption has always been written:
    « Dvořák » → « Dvorák », « N’Diaye » → « N'Diaye »."""
    text = text.replace("’", "'")
    kept = []
    for letter in text:
        try:
            letter.encode("cp1252")
            letter.encode("latin-1")
        except UnicodeEncodeError:
            letter = unicodedata.normalize("NFKD", letter).encode("ascii", "ignore").decode()
        kept.append(letter)
    return "".join(kept)


def stamp_style(look: SealAppearance) -> TextStampStyle:
    """The organisation's stamp on the left of the box, the caption on its right."""
    background = None
    if look.stamp_png:
        width, height = look.stamp_size()
        background = images.PdfImage(
            _stamp_image(look.stamp_png), box=layout.BoxConstraints(width, height)
        )
    size = look.font_size()
    margin = layout.Margins(left=PADDING, right=PADDING, top=PADDING, bottom=PADDING)
    return TextStampStyle(
        stamp_text=CAPTION,
        timestamp_format=MOMENT,
        text_box_style=text.TextBoxStyle(
            font=caption_font(size), font_size=size, leading=leading(size)
        ),
        border_width=0,
        background=background,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=margin,
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=replace(margin, left=look.stamp_size()[0] + 3 * PADDING),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


@lru_cache(maxsize=len(FONT_SIZES))
def caption_font(size: int) -> GlyphAccumulatorFactory:
    """The caption's font at ``size`` (pyHanko shapes at the factory's size, which must be
    the text box's), read once per size; each seal embeds the subset it uses."""
    return GlyphAccumulatorFactory(str(FONT), font_size=size, bcp47_lang_code="fr")


@lru_cache(maxsize=16)
def _stamp_image(stamp_png: bytes) -> Image.Image:
    """The stamp decoded and reduced once: 240 px is sharp enough for a 90 pt box."""
    image = Image.open(io.BytesIO(stamp_png))
    image.thumbnail((240, 240))
    return image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image
