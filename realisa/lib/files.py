"""Serving a private stored file, from a view that has already checked the permission."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

# The only kinds of file the portal stores (see realisa.lib.uploads), told by content.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


def sniff_content_type(head: bytes) -> str:
    """The content type proved by a file's first bytes; anything else is opaque bytes."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return "application/octet-stream"


def serve_private_file(
    field_file: FieldFile, download_name: str, *, inline: bool = False
) -> FileResponse:
    """Send ``field_file`` as ``download_name``: an attachment, never sniffed, never cached.

    ``inline=True`` lets the browser show it (the funder's review shows the document in
    the page); the content type then comes from the bytes, never from the stored name.
    Raises Http404 when there is no file or it is missing from the storage.
    """
    if not field_file:
        raise Http404("Aucun fichier.")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404("Fichier introuvable.") from error
    content_type = sniff_content_type(handle.read(8))
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
