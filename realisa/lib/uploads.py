"""Upload checks, by content, for every file users send: PDF, PNG or JPEG, nothing else.

A form uses a field (``PdfField``, ``ImageField``, ``PdfOrImageField``); a view may call
``check_pdf(uploaded)``, ``check_image(uploaded)`` or ``check_pdf_or_image(uploaded)``
directly. Each check raises ``ValidationError`` with a French message saying why the
file is refused, or returns the suffix that the content proves (``.pdf``, ``.png``,
``.jpg``). The fields then rename the upload to that suffix, so that a stored name
never lies about its content (``logo.html`` holding a PNG is stored as ``….png``).

Nothing is read from the name or the browser's Content-Type: only the bytes count.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import PurePath
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

# More pixels than this is refused before decoding: a small file can declare a huge
# image (a "decompression bomb") and exhaust the server's memory when decoded.
MAX_PIXELS = 25_000_000
IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo"


def check_size(uploaded: Any) -> None:
    """Refuse an empty file and a file above ``UPLOAD_MAX_BYTES``."""
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    if size > max_bytes():
        raise ValidationError(
            f"Le fichier dépasse la taille maximale de {_megabytes(max_bytes())}.",
            code="too_big",
        )


def _stream(uploaded: Any) -> IO[bytes]:
    """The upload itself, rewound (Django's files proxy read, seek and tell)."""
    uploaded.seek(0)
    return uploaded  # type: ignore[no-any-return]


def check_pdf(uploaded: Any) -> str:
    """A PDF: it starts with ``%PDF-``, pypdf parses it, and it is not encrypted."""
    check_size(uploaded)
    stream = _stream(uploaded)
    if stream.read(5) != b"%PDF-":
        raise ValidationError("Ce fichier n'est pas un PDF.", code="not_pdf")
    stream.seek(0)
    try:
        reader = PdfReader(stream)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # pypdf raises many kinds of errors on a broken file
        raise ValidationError("Ce PDF est illisible ou endommagé.", code="broken_pdf") from error
    finally:
        stream.seek(0)
    if encrypted:
        raise ValidationError(
            "Ce PDF est protégé par un mot de passe : déposez une version non protégée.",
            code="encrypted_pdf",
        )
    if pages < 1:
        raise ValidationError("Ce PDF ne contient aucune page.", code="empty_pdf")
    return ".pdf"


def _open_and_decode(stream: IO[bytes]) -> str:
    """The image's format, once Pillow has verified its chunks and decoded its pixels."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(stream, formats=list(IMAGE_FORMATS)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            image.verify()
        # verify() checks the chunks, not the pixels: decode them all now, so that a
        # broken image is refused here rather than breaking every PDF that shows it.
        stream.seek(0)
        with Image.open(stream, formats=list(IMAGE_FORMATS)) as image:
            image.load()
            return image.format or ""


def check_image(uploaded: Any) -> str:
    """A PNG or JPEG image that Pillow verifies and decodes, of at most ``MAX_PIXELS``
    pixels."""
    check_size(uploaded)
    stream = _stream(uploaded)
    refused = ValidationError("Ce fichier n'est pas une image PNG ou JPEG.", code="not_image")
    try:
        image_format = _open_and_decode(stream)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except ValidationError:
        raise
    except UnidentifiedImageError as error:  # not PNG nor JPEG: SVG, GIF, a program…
        raise refused from error
    except Exception as error:  # Pillow refuses a broken image in many ways
        raise ValidationError(
            "Cette image est illisible ou endommagée.", code="broken_image"
        ) from error
    finally:
        stream.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise refused
    return IMAGE_FORMATS[image_format]


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        f"Cette image est trop grande (plus de {MAX_PIXELS // 1_000_000} millions de pixels).",
        code="too_many_pixels",
    )


def check_pdf_or_image(uploaded: Any) -> str:
    """A PDF, or else a PNG or JPEG image (a scan)."""
    check_size(uploaded)
    stream = _stream(uploaded)
    is_pdf = stream.read(5) == b"%PDF-"
    stream.seek(0)
    if is_pdf:
        return check_pdf(uploaded)
    try:
        return check_image(uploaded)
    except ValidationError as error:
        if error.code != "not_image":
            raise
        raise ValidationError(
            "Ce fichier n'est ni un PDF ni une image PNG ou JPEG.", code="not_pdf_or_image"
        ) from error


def rename_to(uploaded: Any, suffix: str) -> None:
    """Give the upload the suffix its content proved (the stored name keeps it)."""
    stem = PurePath(uploaded.name or "fichier").stem or "fichier"
    uploaded.name = f"{stem}{suffix}"


def _checked(cleaned: Any, check: Callable[[Any], str]) -> Any:
    if isinstance(cleaned, UploadedFile):  # not the file already stored (``initial``)
        rename_to(cleaned, check(cleaned))
    return cleaned


class PdfField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        return _checked(super().clean(data, initial), check_pdf)


class ImageField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        return _checked(super().clean(data, initial), check_image)


class PdfOrImageField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        return _checked(super().clean(data, initial), check_pdf_or_image)


class TableFileForm(forms.Form):
    """A CSV or XLSX file to import (``lib.tables`` reads it by its content): its bytes, at
    most ``MAX_BYTES``. A subclass gives the field's label and help."""

    MAX_BYTES = 1024 * 1024

    file = forms.FileField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            limit = _megabytes(self.MAX_BYTES)
            raise ValidationError(f"Le fichier dépasse {limit} : découpez-le.")
        return bytes(upload.read())
