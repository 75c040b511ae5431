"""The month-start batch: every PDF of a month not yet made, in parallel tasks
(``certificates/tasks.py`` queues them).

Idempotent: a certificate that already has a version is skipped (checked again under the
row's lock), so a batch re-run or interrupted half-way makes each PDF exactly once.

Parallel: each PDF is rendered outside any transaction, from the certificate as read
then; only storing it takes the row lock (and, on SQLite, the database's write lock), for
a few milliseconds. A certificate changed meanwhile is rendered again under the lock
(``generate_version`` compares its ``version``), so the PDF shows it as stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from realisa.certificates import lifecycle
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.models import CertificateVersion
from realisa.documents.services import generate_version, render_next

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
    pending = Certificate.objects.filter(month=month.replace(day=1), has_pdf=False)
    return list(pending.order_by("pk").values_list("pk", flat=True))


@dataclass(frozen=True)
class Progress:
    certificates: int
    pending: int  # without a PDF yet

    @property
    def made(self) -> int:
        return self.certificates - self.pending


def progress(month: date) -> Progress:
    """How far ``month``'s batch is: its certificates, and those without PDF (two counts,
    each read from an index of its own)."""
    certificates = Certificate.objects.filter(month=month.replace(day=1))
    return Progress(certificates.count(), certificates.filter(has_pdf=False).count())


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def generate_missing(certificate_id: int) -> bool:
    """Make the certificate's first PDF unless it has one; True when it was made now."""
    return generate_chunk([certificate_id]) == 1


def generate_chunk(certificate_ids: list[int]) -> int:
    """``generate_missing`` for each certificate, read in one query; how many were made."""
    pending = (
        Certificate.objects.filter(pk__in=certificate_ids, versions__isnull=True)
        .select_related("dossier__organisation", "dossier__beneficiary", "dossier__employer")
        .order_by("pk")
    )
    return sum(_generate(certificate) for certificate in pending)


def _generate(certificate: Certificate) -> bool:
    rendered = render_next(certificate, number=1)  # outside any transaction: no lock held
    with transaction.atomic():
        version = _lock_pending(certificate.pk)
        if version is None:  # made meanwhile: another run of the batch, an hours entry
            return False
        if version != certificate.version:  # changed meanwhile: generate_version renders again
            certificate = lifecycle.locked(certificate)
        reason = REASONS.get(MonthStatus(certificate.status), VersionReason.ENTRY)
        generate_version(certificate, reason=reason, actor=None, rendered=rendered, number=1)
    return True


def _lock_pending(pk: int) -> int | None:
    """Lock the certificate's row; its ``version`` now, or None when it has a PDF already.
    Every change of a certificate increments ``version``: an unchanged one is as read.

    Two statements: on PostgreSQL, a statement that waited for the lock still reads the
    other tables as they were when it began, so only the next one sees the version that
    the lock's previous holder stored. SQLite ignores FOR UPDATE: its IMMEDIATE
    transaction already holds the database's write lock."""
    rows = Certificate.objects.select_for_update(of=("self",)).filter(pk=pk)
    version = rows.values_list("version", flat=True).first()
    if version is None or CertificateVersion.objects.filter(certificate_id=pk).exists():
        return None
    return version
