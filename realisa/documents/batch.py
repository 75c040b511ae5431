"""The month-start batch: every PDF of a month not yet made, in parallel tasks.

Idempotent: a certificate that already has a version is skipped (checked again under the
row's lock), so a batch re-run or interrupted half-way makes each PDF exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db import transaction

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.services import generate_version

CHUNK = 50
REASONS = {
    MonthStatus.ENTERED: VersionReason.ENTRY,
    MonthStatus.CERTIFIED: VersionReason.CERTIFICATION,
    MonthStatus.CONTESTED: VersionReason.CERTIFICATION,
    MonthStatus.TRANSMITTED: VersionReason.CERTIFICATION,
    MonthStatus.VALIDATED: VersionReason.VALIDATION,
}


def missing(month: date) -> list[int]:
    """The certificates of ``month`` that have no PDF yet."""
    pending = Certificate.objects.filter(month=month.replace(day=1), versions__isnull=True)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def generate_missing(certificate_id: int) -> bool:
    """Make the certificate's first PDF unless it has one; True when it was made now."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.versions.exists():
            return False
        reason = REASONS.get(MonthStatus(certificate.status), VersionReason.ENTRY)
        generate_version(certificate, reason=reason, actor=None)
    return True


def run(month: date) -> int:
    """Queue one task per chunk of the month's missing PDFs; return how many are queued.
    Without a broker the tasks run here, one after the other."""
    from realisa.documents.tasks import generate_pdf_chunk

    ids = missing(month)
    for chunk in chunks(ids):
        generate_pdf_chunk.delay(chunk)
    return len(ids)
