"""The public addresses printed on a document: what its QR code and its text lead to."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def verification_url(reference: str) -> str:
    """The verification page of the version ``reference``, on the portal's own address."""
    return settings.SITE_URL + reverse("documents:verify_reference", args=[reference])
