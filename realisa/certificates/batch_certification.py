"""« Certifier en lot »: several months certified online with one e-mailed code.

1. ``certifiable_months`` lists the months a person may certify online now (``abilities``).
2. ``open_batch`` keeps the ticked ones as a ``CertificationBatch``: each line holds the
   version shown in the summary (reference and SHA-256), and the batch's manifest lists only
   those references and SHA-256s (no name, no hours: each certificate names the manifest by
   its SHA-256, and no beneficiary learns about the others).
3. ``request_batch_code`` e-mails one code bound to the batch and its manifest's SHA-256,
   under the single code's rules (``codes``: digits, lifetime, tries, resend limits,
   suspension).
4. ``confirm_batch`` checks the typed code under the batch's row lock: eight people sending
   it at once make one confirmation. The lines are then certified one by one
   (``run_batch``): at once for a few, in the background otherwise.
5. ``certify_line`` certifies one month exactly as certification 2 does (its own lock,
   sealed with its evidence), or fails it with its reason when the month changed since the
   summary (hours edited, payment recorded, certified meanwhile): the others go on. A line
   is done once: running the batch again certifies nothing twice.
6. Once every line is done, the manifest is sealed and stored, and ``batch.certified``
   is recorded: the funder's one digest for the batch follows from it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates import codes, lifecycle
from realisa.certificates.abilities import (
    Actor,
    abilities,
    actor_of,
    facts_of_certificate,
    online_reasons,
)
from realisa.certificates.lifecycle import AlreadyDone, Event
from realisa.certificates.models import (
    BatchLine,
    Certificate,
    CertificationBatch,
    OneTimeCode,
)
from realisa.certificates.online import OnlineRefused, certify_with_code
from realisa.certificates.queries import entered_months
from realisa.documents.evidence_pages import as_json
from realisa.documents.sealed import seal_manifest
from realisa.documents.services import latest_version
from realisa.lib.background import run_later
from realisa.lib.client_ip import client_ip
from realisa.lib.errors import Invalid, NotAllowed

RUN_AT_ONCE = 3  # a batch of more lines is certified in the background
RESUME_AFTER = timedelta(minutes=5)  # a running batch older than this is resumed
SWITCHED_OFF = (
    "La certification en lot n'est pas ouverte par votre Transitions Pro : certifiez chaque "
    "mois depuis sa page."
)
CHANGED = (
    "Ce mois a changé depuis le récapitulatif (heures modifiées ou nouveau PDF) : "
    "il n'est pas certifié. Vérifiez-le puis certifiez-le à nouveau."
)
ALREADY_CONFIRMED = "Le code de ce lot a déjà été saisi : voici où en est sa certification."


def certifiable_months(user: User) -> list[Certificate]:
    """The months ``user`` may certify online now, across the organisation's dossiers,
    oldest month first (``abilities`` decides each one)."""
    actor = actor_of(user)
    if online_reasons(actor) or user.organisation_id is None:
        return []
    rows = entered_months(user.organisation_id).filter(accepts_ip_use=True)
    return [
        certificate
        for certificate in rows
        if abilities(actor, facts_of_certificate(certificate, has_pdf=True)).certify_online
    ]


def batch_manifest(reference: str, lines: list[BatchLine]) -> dict[str, Any]:
    """What the one code certifies: each month's unsealed version, by reference and SHA-256."""
    return {
        "lot": reference,
        "versions": [
            {"reference": line.version_reference, "sha256": line.version_sha256} for line in lines
        ],
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as its SHA-256 is taken, stored and embedded."""
    return as_json(manifest)


def open_batch(user: User, certificate_ids: list[int]) -> CertificationBatch:
    """The ticked months that ``user`` may certify online, kept as a batch."""
    if not settings.BATCH_ONLINE_CERTIFICATION:
        raise NotAllowed(SWITCHED_OFF)
    wanted = set(certificate_ids)
    months = [c for c in certifiable_months(user) if c.pk in wanted]
    if not months or user.organisation_id is None:
        raise Invalid(errors={"months": "Cochez au moins un mois à certifier."})
    reference = f"LOT-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}"
    lines = []
    for certificate in months:
        version = latest_version(certificate)
        assert version is not None  # noqa: S101 - certifiable months have their PDF
        lines.append(BatchLine(certificate=certificate, version_reference=version.reference,
                               version_sha256=version.sha256))  # fmt: skip
    manifest = manifest_bytes(batch_manifest(reference, lines))
    with transaction.atomic():
        batch = CertificationBatch.objects.create(
            reference=reference,
            organisation_id=user.organisation_id,
            user=user,
            manifest_sha256=hashlib.sha256(manifest).hexdigest(),
        )
        for line in lines:
            line.batch = batch
        BatchLine.objects.bulk_create(lines)
    return batch


def batches_of(user: User) -> QuerySet[CertificationBatch]:
    """A person's own batches: the only ones they see (others get 404)."""
    return CertificationBatch.objects.filter(user_id=user.pk)


def _locked(batch: CertificationBatch) -> CertificationBatch:
    return CertificationBatch.objects.select_for_update().get(pk=batch.pk)


def request_batch_code(
    batch: CertificationBatch, *, actor: User, request: HttpRequest | None
) -> codes.IssuedCode:
    """« Envoyer le code de vérification par email », once for the whole batch."""
    with transaction.atomic():
        locked = _locked(batch)
        if locked.state != CertificationBatch.State.OPEN:
            raise AlreadyDone(ALREADY_CONFIRMED)
        about = {"lot": locked.reference}
        record(EventType.CODE_REQUESTED, actor=actor, obj=locked, payload=about, request=request)
        reasons = online_reasons(actor_of(actor))
        refusal = reasons[0] if reasons else codes.send_refusal(locked, timezone.now())
        if refusal is None:
            issued = codes.issue(locked, actor, locked.manifest_sha256, request=request)
        else:
            record(
                EventType.CODE_REQUEST_REFUSED,
                actor=actor,
                obj=locked,
                payload={**about, "reason": refusal},
                request=request,
            )
    if refusal is not None:
        raise OnlineRefused(refusal)
    return issued


def confirm_batch(
    batch: CertificationBatch, typed: str, *, actor: User, request: HttpRequest | None
) -> CertificationBatch:
    """The code typed back: the batch is confirmed once, then its lines are certified."""
    malformed = codes.malformed(typed)
    if malformed is not None:
        raise Invalid(errors={"code": malformed})
    with transaction.atomic():
        locked = _locked(batch)
        if locked.state != CertificationBatch.State.OPEN:
            raise AlreadyDone(ALREADY_CONFIRMED)
        reasons = online_reasons(actor_of(actor))
        refusal: str | None = reasons[0] if reasons else None
        if refusal is None:
            _code, refusal = codes.consume(
                locked, actor, typed, locked.manifest_sha256, request=request
            )
        if refusal is None:
            locked.state = CertificationBatch.State.RUNNING
            locked.confirmed_at = timezone.now()
            locked.confirmed_ip = client_ip(request)
            locked.confirmed_user_agent = _agent(request)
            locked.save(update_fields=["state", "confirmed_at", "confirmed_ip",
                                       "confirmed_user_agent"])  # fmt: skip
    if refusal is not None:
        raise OnlineRefused(refusal)
    if locked.lines.count() <= RUN_AT_ONCE:
        run_batch(locked.pk)
    else:
        run_later(certify_batch, locked.pk)
    return locked


# Acknowledged once done, handed back if its process dies: the lines still pending are
# certified when it runs again (a line is done once). ``tasks`` imports it for the worker.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def certify_batch(batch_id: int) -> None:
    run_batch(batch_id)


def _agent(request: HttpRequest | None) -> str:
    return (request.META.get("HTTP_USER_AGENT", "") if request else "")[:300]


def replayed_request(batch: CertificationBatch) -> HttpRequest:
    """The confirming request's IP and browser, for the evidence of lines certified later."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = batch.confirmed_ip or ""
    request.META["HTTP_USER_AGENT"] = batch.confirmed_user_agent
    return request


def run_batch(batch_id: int) -> None:
    """Certify the batch's pending lines, one by one; then seal its manifest. Safe to run
    again: a line is done once, and a done batch is left as it is."""
    batch = CertificationBatch.objects.get(pk=batch_id)
    if batch.state != CertificationBatch.State.RUNNING:
        return
    code = batch.one_time_codes.exclude(used_at=None).latest("used_at")
    actor = actor_of(batch.user)  # read once: the person's documents and suspension
    for line_id in batch.lines.filter(outcome=BatchLine.Outcome.PENDING).values_list(
        "pk", flat=True
    ):
        certify_line(line_id, code, actor)
    finish(batch.pk)


def resume_batches(*, older_than: timedelta = RESUME_AFTER) -> int:
    """Run again the batches confirmed more than ``older_than`` ago and still running (their
    task lost with its process or its queue); how many. A line is done once."""
    stuck = CertificationBatch.objects.filter(
        state=CertificationBatch.State.RUNNING, confirmed_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    ids = list(stuck)
    for batch_id in ids:
        run_batch(batch_id)
    return len(ids)


def certify_line(line_id: int, code: OneTimeCode, actor: Actor) -> None:
    """One month of the batch, certified as certification 2 does, or failed with its reason."""
    with transaction.atomic():
        line = BatchLine.objects.select_for_update().select_related("batch__user").get(pk=line_id)
        if line.outcome != BatchLine.Outcome.PENDING:
            return
        batch = line.batch
        certificate = lifecycle.locked(line.certificate)
        version = latest_version(certificate)
        reason = _line_refusal(certificate, version, line, actor)
        if reason is None:
            certify_with_code(
                certificate,
                code,
                version,
                actor=batch.user,
                request=replayed_request(batch),
                batch={"lot": batch.reference, "manifeste_sha256": batch.manifest_sha256},
            )
        line.outcome = BatchLine.Outcome.FAILED if reason else BatchLine.Outcome.CERTIFIED
        line.reason = reason or ""
        line.done_at = timezone.now()
        line.save(update_fields=["outcome", "reason", "done_at"])


def _line_refusal(
    certificate: Certificate, version: Any, line: BatchLine, actor: Actor
) -> str | None:
    """Why this month cannot be certified with the batch's code now, or None."""
    refusal = lifecycle.refusal(Event.CERTIFIED_ONLINE, lifecycle.state_of(certificate))
    if refusal is not None:
        return refusal.message
    if version is None or version.sha256 != line.version_sha256:
        return CHANGED
    can = abilities(actor, facts_of_certificate(certificate, has_pdf=True))
    return None if can.certify_online else (can.online_refusal or CHANGED)


def finish(batch_id: int) -> None:
    """Every line done: seal and store the manifest, record ``batch.certified``."""
    with transaction.atomic():
        batch = CertificationBatch.objects.select_for_update().get(pk=batch_id)
        lines = list(batch.lines.all())
        if batch.state != CertificationBatch.State.RUNNING or any(
            line.outcome == BatchLine.Outcome.PENDING for line in lines
        ):
            return
        sealed = seal_manifest(
            manifest_bytes(batch_manifest(batch.reference, lines)),
            reference=batch.reference,
            organisation=batch.organisation.name,
        )
        batch.manifest.save(f"{batch.reference}.pdf", ContentFile(sealed.pdf), save=False)
        batch.sealed_manifest_sha256 = sealed.sha256
        batch.state = CertificationBatch.State.DONE
        batch.done_at = timezone.now()
        batch.save()
        certified = sum(line.outcome == BatchLine.Outcome.CERTIFIED for line in lines)
        record(
            EventType.BATCH_CERTIFIED,
            actor=batch.user,
            obj=batch,
            payload={
                "lot": batch.reference,
                "certified": certified,
                "failed": len(lines) - certified,
                "manifest_sha256": batch.manifest_sha256,
                "sealed_manifest_sha256": sealed.sha256,
            },
        )
