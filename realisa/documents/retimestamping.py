"""Renewing the archive's time-stamps before they expire (PAdES B-LTA).

A document time-stamp vouches for a sealed PDF as long as its authority's certificate is
valid. ``due_versions`` finds the sealed versions (the latest of each certificate) whose
newest time-stamp (or, without one, whose seal) expires within a margin; ``renew`` adds a
new document time-stamp over everything, with a fresh DSS, and stores the result as the
certificate's next version: a new file, with its own SHA-256, that the journal seals
(``pdf.retimestamped``) and ``funder.stored_files`` checks. The previous version is
never touched. The new version keeps the hours, status and reason of the one it renews.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from pyhanko.pdf_utils.misc import PdfError

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.documents.models import CertificateVersion
from realisa.documents.seal_ltv import retimestamp, timestamp_expiry
from realisa.documents.sealing_keys import timestamper
from realisa.documents.services import about, new_reference, next_number

UNREADABLE = (PdfError, ValueError, KeyError, IndexError, AttributeError)


@dataclass(frozen=True)
class Due:
    version: CertificateVersion
    pdf: bytes
    expires: datetime


def latest_versions() -> Iterator[CertificateVersion]:
    """The latest version of each certificate: the one the portal shows and archives."""
    newest = CertificateVersion.objects.filter(certificate=OuterRef("certificate")).order_by(
        "-number"
    )
    latest = CertificateVersion.objects.filter(number=Subquery(newest.values("number")[:1]))
    return latest.select_related("certificate").order_by("pk").iterator(chunk_size=200)


def due_versions(margin: timedelta) -> Iterator[Due]:
    """Sealed latest versions whose newest time-stamp (or seal) expires within ``margin``."""
    limit = timezone.now() + margin
    for version in latest_versions():
        with version.file.open("rb") as stored:
            pdf = stored.read()
        try:
            expires = timestamp_expiry(pdf)
        except UNREADABLE:  # not sealed (a draft, a scan): nothing to renew
            continue
        if expires <= limit:
            yield Due(version, pdf, expires)


def renew(due: Due) -> CertificateVersion:
    """Time-stamp ``due``'s PDF again and store it as its certificate's next version."""
    authority = timestamper(settings.SIGNING_TSA_URL, settings.SIGNING_TSA_TIMEOUT)
    pdf = retimestamp(due.pdf, authority)  # before the transaction: a network call
    old = due.version
    with transaction.atomic():
        # The certificate's row lock: no other version takes the same number meanwhile.
        certificate = type(old.certificate).objects.select_for_update().get(pk=old.certificate_id)
        version = CertificateVersion(
            certificate=certificate,
            number=next_number(certificate),
            reference=new_reference(),
            sha256=hashlib.sha256(pdf).hexdigest(),
            reason=old.reason,
            status=old.status,
            centre_minutes=old.centre_minutes,
            internship_minutes=old.internship_minutes,
            absence_minutes=old.absence_minutes,
            created_at=timezone.now(),
            created_by=None,
        )
        version.file.save("certificat.pdf", ContentFile(pdf), save=False)
        version.save()
        payload = {**about(version), "renews": old.reference, "renews_version": old.number}
        record(EventType.PDF_RETIMESTAMPED, obj=certificate, payload=payload)
    return version
