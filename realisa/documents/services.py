"""Generating a certificate's PDF as a new immutable version, and finding versions again.

``generate_version`` is what the hours entry, the certifications and the beneficiary's
validation call once their change is saved: it renders the certificate as it now stands
and stores it as the next version; earlier versions are never touched.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import VersionReason
from realisa.documents.data import certificate_data
from realisa.documents.models import CertificateVersion, CertificateVersionQuerySet
from realisa.documents.render import SealBox, render_page

if TYPE_CHECKING:  # documents reads a certificate it is given; it never loads one
    from realisa.certificates.models import Certificate

# Crockford's base 32: no I, L, O, U, so that a reference read aloud or retyped survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_GROUPS = 3
GROUP_LENGTH = 4
REFERENCE_PREFIX = "RC"
TYPO_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_reference() -> str:
    """« RC-7K4M-9QX2-HP3D »: 60 random bits, so that references cannot be guessed."""
    groups = (
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH))
        for _ in range(REFERENCE_GROUPS)
    )
    return "-".join((REFERENCE_PREFIX, *groups))


def normalise_reference(text: str) -> str:
    """A reference as people type it (spaces, lower case, O for 0) in its printed form."""
    body = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(body) == len(REFERENCE_PREFIX) + REFERENCE_GROUPS * GROUP_LENGTH:
        body = body.removeprefix(REFERENCE_PREFIX)
    body = body.translate(TYPO_FIXES)
    size = GROUP_LENGTH
    groups = [body[i : i + size] for i in range(0, len(body), size)]
    return "-".join((REFERENCE_PREFIX, *groups))


@dataclass(frozen=True)
class Rendered:
    """The certificate's next version, rendered but not stored yet; ``certificate_version``
    is the certificate's ``version`` (its optimistic-locking counter) it was rendered from;
    ``seal_box`` the empty frame where a seal goes (the page never prints the stamp)."""

    number: int
    reference: str
    created_at: datetime
    pdf: bytes
    certificate_version: int
    seal_box: SealBox

    def is_current(self, certificate: Certificate, number: int) -> bool:
        """Still what ``certificate`` would render as its version ``number``: it has not
        changed since, and no other version was stored meanwhile."""
        return self.number == number and self.certificate_version == certificate.version


def next_number(certificate: Certificate) -> int:
    latest = certificate.versions.aggregate(Max("number"))["number__max"]
    return (latest or 0) + 1


@dataclass(frozen=True)
class Slot:
    """The next version's number, reference and date, before anything is rendered: what
    a sealed version's evidence names before the page that carries it is drawn."""

    number: int
    reference: str
    created_at: datetime


def next_slot(certificate: Certificate, *, number: int | None = None) -> Slot:
    return Slot(number or next_number(certificate), new_reference(), timezone.now())


def render_next(
    certificate: Certificate,
    *,
    number: int | None = None,
    slot: Slot | None = None,
    evidence: dict[str, Any] | None = None,
) -> Rendered:
    """Render ``certificate`` as it now stands, numbered as its next version (``number``
    when the caller already knows it, or the ``slot`` it took), with ``evidence`` (the
    evidence page's data) as its last page. Under the certificate's row lock, or before
    taking it for ``generate_version`` to check (see there)."""
    slot = slot or next_slot(certificate, number=number)
    data = certificate_data(
        certificate,
        reference=slot.reference,
        version=slot.number,
        issued_on=timezone.localdate(slot.created_at),
    )
    page = render_page(data, created_at=slot.created_at, evidence=evidence)
    return Rendered(
        slot.number, slot.reference, slot.created_at, page.pdf, certificate.version, page.seal_box
    )


def store_version(
    certificate: Certificate,
    rendered: Rendered,
    pdf: bytes,
    *,
    reason: VersionReason | str,
    actor: Any,
) -> CertificateVersion:
    """Store ``pdf`` (the rendered page, sealed or not) as the next immutable version,
    with the hours and status it shows."""
    version = CertificateVersion(
        certificate=certificate,
        number=rendered.number,
        reference=rendered.reference,
        sha256=hashlib.sha256(pdf).hexdigest(),
        reason=VersionReason(reason),
        status=certificate.status,
        centre_minutes=certificate.centre_minutes,
        internship_minutes=certificate.internship_minutes,
        absence_minutes=certificate.absence_minutes,
        created_at=rendered.created_at,
        created_by=actor if actor is not None and actor.pk else None,
    )
    version.file.save("certificat.pdf", ContentFile(pdf), save=False)
    version.save()
    if not certificate.has_pdf:
        certificate.has_pdf = True
        type(certificate).objects.filter(pk=certificate.pk).update(has_pdf=True)
    return version


def generate_version(
    locked: Certificate,
    *,
    reason: VersionReason | str,
    actor: Any,
    rendered: Rendered | None = None,
    number: int | None = None,
) -> CertificateVersion:
    """Render the certificate as it now stands and store it as its next version. The
    caller holds the row lock (``certificates.lifecycle.locked``), so the version and the
    change it shows commit together; ``number``, when given, is its next version's number,
    read under that lock. ``rendered``, made by ``render_next`` before the lock was taken
    (the month-start batch renders with no lock held), is stored as it is while still
    current; when the certificate or its versions changed meanwhile, it is rendered again."""
    number = number or next_number(locked)
    if rendered is None or not rendered.is_current(locked, number):
        rendered = render_next(locked, number=number)
    version = store_version(locked, rendered, rendered.pdf, reason=reason, actor=actor)
    record(EventType.PDF_GENERATED, actor=actor, obj=locked, payload=about(version))
    return version


def about(version: CertificateVersion) -> dict[str, Any]:
    """What the journal keeps of a stored version."""
    return {
        "version": version.number,
        "reference": version.reference,
        "reason": version.reason,
        "sha256": version.sha256,
    }


def latest_version(certificate: Certificate) -> CertificateVersion | None:
    return certificate.versions.order_by("-number").first()


def version_by_reference(text: str) -> CertificateVersion | None:
    return _with_certificate().filter(reference=normalise_reference(text)).first()


def version_by_content(content: bytes) -> CertificateVersion | None:
    """The issued version whose file is exactly ``content`` (same SHA-256), if any."""
    digest = hashlib.sha256(content).hexdigest()
    return _with_certificate().filter(sha256=digest).first()


def _with_certificate() -> CertificateVersionQuerySet:
    return CertificateVersion.objects.select_related("certificate__dossier")
