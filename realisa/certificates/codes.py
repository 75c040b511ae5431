"""The « code de vérification » of certification 2: issuing it and checking a typed one.

The rules, each a constant or a setting:

- ``ONLINE_CODE_LENGTH`` digits (4) from ``secrets``, valid ``ONLINE_CODE_TTL_MINUTES`` (15);
- an entry that is not that many digits (``malformed``) is refused before any code is
  looked at: it is no try;
- stored only as an HMAC (key derived from ``SECRET_KEY``) of the user, the certificate,
  the SHA-256 of the version being certified and the code; compared in constant time;
- « Certifier en lot »: one code for a batch of months (``CertificationBatch``), bound the
  same way to the batch and its manifest's SHA-256, under the same rules (a code's
  *subject* is its certificate or its batch);
- used once; void when the hours changed after sending (another version), after
  ``MAX_ATTEMPTS`` wrong tries, or when a new code replaces it;
- at most ``CODES_PER_HOUR`` codes per certificate per hour, ``RESEND_DELAY`` apart;
- ``FAILURES_BEFORE_SUSPENSION`` wrong codes by one user within ``FAILURE_WINDOW`` suspend
  that user's certification 2 until an agent lifts it.

Each function runs inside the caller's transaction (the certificate's row is locked) and
records its audit events there; a refusal is returned, not raised, so that what it
changed (a try counted, a code voided) commits with its event.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.audit.models import AuditEvent
from realisa.certificates.models import (
    Certificate,
    CertificationBatch,
    OneTimeCode,
    OnlineSuspension,
)
from realisa.choices import CodeVoidReason
from realisa.lib.french import plural
from realisa.lib.privacy import mask_email

MAX_ATTEMPTS = 3
CODES_PER_HOUR = 3
RESEND_DELAY = timedelta(seconds=30)
FAILURES_BEFORE_SUSPENSION = 10
FAILURE_WINDOW = timedelta(hours=24)
HMAC_SALT = "realisa.certificates.OneTimeCode"

WRONG_CODE = EventType.CODE_WRONG  # the failure that counts towards a suspension

Subject = Certificate | CertificationBatch  # what a code certifies: one month, or a batch


def _of(subject: Subject) -> dict[str, Subject]:
    """The code rows' filter (and fields) for ``subject``."""
    return {"batch" if isinstance(subject, CertificationBatch) else "certificate": subject}


def _key(subject: Subject) -> str:
    """What the HMAC binds: a certificate's pk (as before batches), or the batch's."""
    return f"lot-{subject.pk}" if isinstance(subject, CertificationBatch) else str(subject.pk)


def _about(subject: Subject) -> dict[str, str]:
    """What a batch's code events add to their payload: the batch, for the journal."""
    return {"lot": subject.reference} if isinstance(subject, CertificationBatch) else {}


def _this(subject: Subject) -> str:
    return "ce lot" if isinstance(subject, CertificationBatch) else "ce certificat"


@dataclass(frozen=True)
class IssuedCode:
    """A new code: its row, and the plain code for the e-mail (never stored)."""

    record: OneTimeCode
    code: str


def code_digest(user_id: int, subject_key: int | str, version_sha256: str, code: str) -> str:
    value = f"{user_id}:{subject_key}:{version_sha256}:{code}"
    return salted_hmac(HMAC_SALT, value, algorithm="sha256").hexdigest()


def new_code() -> str:
    length = settings.ONLINE_CODE_LENGTH
    return f"{secrets.randbelow(10**length):0{length}d}"


def typed_digits(typed: str) -> str:
    """What was typed, its spaces removed (« 12 34 » is 1234, as a pasted code may be)."""
    return "".join(typed.split())


def malformed(typed: str) -> str | None:
    """Why ``typed`` cannot be a code, in French, or None: once its spaces are removed, a
    code is exactly ``ONLINE_CODE_LENGTH`` ASCII digits. Such an entry is refused before any
    code is looked at, so it does not count as a try."""
    length = settings.ONLINE_CODE_LENGTH
    digits = typed_digits(typed)
    wanted = plural(length, "chiffre")
    if not digits:
        return f"Saisissez le code reçu par e-mail ({wanted})."
    if not (digits.isascii() and digits.isdigit()):
        return f"Le code ne contient que des chiffres : saisissez les {wanted} reçus par e-mail."
    if len(digits) != length:
        return (
            f"Le code compte {wanted} ; vous en avez saisi {len(digits)}. "
            "Cet essai n'est pas compté."
        )
    return None


def active_code(subject: Subject, user: User) -> OneTimeCode | None:
    """The user's code for this certificate (or batch) that is neither used nor voided
    (maybe expired)."""
    return (
        OneTimeCode.objects.filter(**_of(subject), user=user, used_at=None, voided_at=None)
        .order_by("-created_at")
        .first()
    )


def send_refusal(subject: Subject, now: datetime) -> str | None:
    """Why no new code may be sent for this certificate (or batch) now (the resend limits)."""
    recent = list(
        OneTimeCode.objects.filter(
            **_of(subject), created_at__gt=now - timedelta(hours=1)
        ).order_by("created_at")
    )
    if len(recent) >= CODES_PER_HOUR:
        again = timezone.localtime(recent[0].created_at + timedelta(hours=1))
        return (
            f"Trois codes ont déjà été envoyés pour {_this(subject)} depuis une heure : "
            f"vous pourrez en demander un nouveau à {again:%H:%M}."
        )
    if recent and now - recent[-1].created_at < RESEND_DELAY:
        return "Un code vient d'être envoyé : attendez 30 secondes avant d'en demander un nouveau."
    return None


def issue(
    subject: Subject, user: User, version_sha256: str, *, request: HttpRequest | None
) -> IssuedCode:
    """A new code for ``user`` on ``subject``; the previous ones are voided."""
    now = timezone.now()
    replaced = OneTimeCode.objects.filter(**_of(subject), used_at=None, voided_at=None).update(
        voided_at=now, void_reason=CodeVoidReason.REPLACED
    )
    code = new_code()
    row = OneTimeCode.objects.create(
        **_of(subject),
        user=user,
        code_hmac=code_digest(user.pk, _key(subject), version_sha256, code),
        version_sha256=version_sha256,
        sent_to=user.email,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.ONLINE_CODE_TTL_MINUTES),
    )
    record(
        EventType.CODE_SENT,
        actor=user,
        obj=subject,
        payload={
            "code": row.pk,
            "to": mask_email(user.email),
            "expires_at": row.expires_at.isoformat(),
            "version_sha256": version_sha256,
            "replaced": replaced,
            **_about(subject),
        },
        request=request,
        unrecorded={"code": code},  # the e-mail carries it; the journal never does
    )
    return IssuedCode(row, code)


def _void(code: OneTimeCode, reason: CodeVoidReason, now: datetime) -> None:
    code.voided_at = now
    code.void_reason = reason
    code.save(update_fields=["voided_at", "void_reason"])


NO_ACTIVE_CODE = (
    "Aucun code de vérification n'est en cours pour ce certificat : cliquez sur "
    "« Envoyer le code de vérification par email »."
)
NO_ACTIVE_BATCH_CODE = (
    "Aucun code de vérification n'est en cours pour ce lot : cliquez sur « Envoyer le code "
    "de vérification par email »."
)
EXPIRED_CODE = "Ce code a expiré : il était valable ¼ d'heure. Demandez un nouveau code."
STALE_CODE = (
    "Les heures ont été modifiées depuis l'envoi du code : ce code n'est plus valable. "
    "Vérifiez le certificat puis demandez un nouveau code."
)


def consume(
    subject: Subject,
    user: User,
    typed: str,
    version_sha256: str,
    *,
    request: HttpRequest | None,
) -> tuple[OneTimeCode | None, str | None]:
    """Check ``typed`` against the user's code: (the used code, None) or (None, why not)."""
    now = timezone.now()
    code = active_code(subject, user)
    if code is None or code.expires_at <= now or code.version_sha256 != version_sha256:
        return None, _unusable(code, subject, user, version_sha256, now, request)
    expected = code_digest(user.pk, _key(subject), version_sha256, typed_digits(typed))
    if not hmac.compare_digest(code.code_hmac, expected):
        return None, _wrong(code, subject, user, now, request)
    code.used_at = now
    code.save(update_fields=["used_at"])
    payload = {"code": code.pk, "tries": code.attempts + 1, **_about(subject)}
    record(EventType.CODE_VERIFIED, actor=user, obj=subject, payload=payload, request=request)
    return code, None


def _unusable(
    code: OneTimeCode | None,
    subject: Subject,
    user: User,
    version_sha256: str,
    now: datetime,
    request: HttpRequest | None,
) -> str:
    """Why no code can be checked now (none sent, expired, hours changed), recorded."""
    seen = partial(record, actor=user, obj=subject, request=request)
    if code is None:
        payload = {"code": None, "reason": "no_active_code"}
        seen(EventType.CODE_REFUSED, payload=payload)
        return NO_ACTIVE_BATCH_CODE if isinstance(subject, CertificationBatch) else NO_ACTIVE_CODE
    if code.expires_at <= now:
        _void(code, CodeVoidReason.EXPIRED, now)
        seen(EventType.CODE_EXPIRED, payload={"code": code.pk})
        return EXPIRED_CODE
    _void(code, CodeVoidReason.HOURS_CHANGED, now)
    seen(EventType.CODE_REFUSED, payload={"code": code.pk, "reason": "hours_changed"})
    return STALE_CODE


def _wrong(
    code: OneTimeCode,
    subject: Subject,
    user: User,
    now: datetime,
    request: HttpRequest | None,
) -> str:
    code.attempts += 1
    code.save(update_fields=["attempts"])
    left = MAX_ATTEMPTS - code.attempts
    if left <= 0:
        _void(code, CodeVoidReason.TOO_MANY_ATTEMPTS, now)
    record(
        WRONG_CODE,
        actor=user,
        obj=subject,
        payload={"code": code.pk, "attempts": code.attempts, **_about(subject)},
        request=request,
    )
    if suspend_if_too_many(user, request=request):
        return (
            "Code erroné. Après 10 codes erronés en 24 heures, votre certification 100 % "
            "dématérialisée est suspendue : votre Transitions Pro en est informée et peut la "
            "rétablir."
        )
    if left <= 0:
        return (
            "Code erroné : trois essais erronés, ce code n'est plus valable. "
            "Demandez un nouveau code."
        )
    return f"Code erroné. Il vous reste {plural(left, 'essai')} pour ce code."


def active_suspension(user: User) -> OnlineSuspension | None:
    return OnlineSuspension.objects.filter(user=user, lifted_at=None).first()


def recent_failures(user: User, now: datetime) -> int:
    """Wrong codes in the last 24 hours, counted from the last lifted suspension on."""
    since = now - FAILURE_WINDOW
    lifted = (
        OnlineSuspension.objects.filter(user=user, lifted_at__isnull=False)
        .order_by("-lifted_at")
        .values_list("lifted_at", flat=True)
        .first()
    )
    if lifted is not None and lifted > since:
        since = lifted
    return AuditEvent.objects.filter(actor=user, action=WRONG_CODE, created_at__gt=since).count()


def suspend_if_too_many(user: User, *, request: HttpRequest | None) -> bool:
    """Suspend ``user``'s certification 2 at the 10th wrong code in 24 hours; the funder is
    told by the event's e-mail."""
    if active_suspension(user) is not None:
        return True
    failures = recent_failures(user, timezone.now())
    if failures < FAILURES_BEFORE_SUSPENSION:
        return False
    suspension = OnlineSuspension.objects.create(
        user=user, reason=f"{failures} codes de vérification erronés en 24 heures"
    )
    record(
        EventType.SUSPENDED,
        actor=user,
        obj=suspension,
        payload={"user": user.username, "failures": failures},
        request=request,
    )
    return True


def lift_suspension(
    suspension: OnlineSuspension, *, actor: User, request: HttpRequest | None
) -> None:
    """An agent restores the user's certification 2."""
    if suspension.lifted_at is not None:
        return
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = actor
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    record(
        EventType.SUSPENSION_LIFTED,
        actor=actor,
        obj=suspension,
        payload={"user": suspension.user.username},
        request=request,
    )
