"""Certification 2 (100 % dématérialisée): who may, the code's request and its check.

``request_code`` is « Envoyer le code de vérification par email »; ``certify_online`` is
the code typed back: the hours become certified, the PDF is re-rendered with its stamp
and its evidence and sealed, the beneficiary is invited to validate and the employer and
the funder are told. Both lock the month's row, so that eight people sending the same
valid code make one certification; a refusal is raised only after what it recorded
(a try, a voided code, its audit event) has committed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates import codes, lifecycle
from realisa.certificates.abilities import abilities_of
from realisa.certificates.certification import certify
from realisa.certificates.entry import check_member
from realisa.certificates.lifecycle import Event
from realisa.certificates.models import Certificate, OneTimeCode
from realisa.choices import VersionReason
from realisa.documents.evidence import batch_section, certification_section
from realisa.documents.sealed import sealed_version
from realisa.documents.services import latest_version
from realisa.lib.errors import Conflict, Invalid
from realisa.lib.french import of_month


class OnlineRefused(Conflict):
    """Certification 2 is not possible now; the message says why, in French."""


def _refusal(certificate: Certificate, actor: User) -> str | None:
    """Why ``actor`` may not certify ``certificate`` online (``abilities``), or None."""
    return abilities_of(actor, certificate).online_refusal or None


def _version_sha(certificate: Certificate) -> str:
    version = latest_version(certificate)
    if version is None:  # every entry makes a version: only a broken row lacks one
        raise OnlineRefused("Le certificat de réalisation n'a pas encore de PDF.")
    return version.sha256


def request_code(
    certificate: Certificate, *, actor: User, request: HttpRequest | None
) -> codes.IssuedCode:
    """« Envoyer le code de vérification par email »: a new code, e-mailed to ``actor``."""
    check_member(actor, certificate.dossier)
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        lifecycle.check(locked, Event.CERTIFIED_ONLINE)
        record(EventType.CODE_REQUESTED, actor=actor, obj=locked, request=request)
        refusal = _refusal(locked, actor) or codes.send_refusal(locked, timezone.now())
        if refusal is None:
            issued = codes.issue(locked, actor, _version_sha(locked), request=request)
        else:
            record(
                EventType.CODE_REQUEST_REFUSED,
                actor=actor,
                obj=locked,
                payload={"reason": refusal},
                request=request,
            )
    if refusal is not None:
        raise OnlineRefused(refusal)
    return issued


def certify_online(
    certificate: Certificate, typed: str, *, actor: User, request: HttpRequest | None
) -> Certificate:
    """The code typed back: certify, seal with the evidence, notify. Raises
    ``AlreadyDone`` when someone certified a moment ago, ``OnlineRefused`` otherwise;
    ``Invalid`` for an entry that cannot be a code (``codes.malformed``), which is no try."""
    check_member(actor, certificate.dossier)
    malformed = codes.malformed(typed)
    if malformed is not None:
        raise Invalid(errors={"code": malformed})
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        lifecycle.check(locked, Event.CERTIFIED_ONLINE)
        refusal = _refusal(locked, actor)
        code: OneTimeCode | None = None
        certified = None
        if refusal is None:
            certified = latest_version(locked)
            sha = certified.sha256 if certified else ""
            code, refusal = codes.consume(locked, actor, typed, sha, request=request)
        if refusal is None and code is not None and certified is not None:
            certify_with_code(locked, code, certified, actor=actor, request=request)
    if refusal is not None:
        raise OnlineRefused(refusal)
    return locked


def certify_with_code(
    certificate: Certificate,
    code: OneTimeCode,
    certified: Any,
    *,
    actor: User,
    request: HttpRequest | None,
    batch: dict[str, str] | None = None,
) -> None:
    """Certify the (locked) month with ``code``, checked already, and seal it with its
    evidence. ``batch``: the batch the code certified (« Certifier en lot »: its reference
    and its manifest's SHA-256), kept in the month's evidence and event."""
    evidence: dict[str, Any] = {
        "certification": certification_section(certificate, code, certified, request)
    }
    details: dict[str, Any] = {"code": code.pk, "version_sha256": certified.sha256}
    if batch is not None:
        evidence["lot"] = batch_section(certificate, batch)
        details["batch"] = batch["lot"]
    certify(
        certificate,
        Event.CERTIFIED_ONLINE,
        actor=actor,
        request=request,
        details=details,
        at=code.used_at or timezone.now(),
    )
    name = actor.get_full_name() or actor.username
    sealed_version(
        certificate,
        reason=VersionReason.CERTIFICATION,
        actor=actor,
        evidence=evidence,
        signer_name=name,
        seal_reason=f"Certification des heures {of_month(certificate.month)} "
        f"(dossier {certificate.dossier.number}) par {name}",
    )
