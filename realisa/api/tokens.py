"""Personal API tokens: created (shown once), found again by their SHA-256, revoked.

A token is ``rea_`` + 32 random bytes (URL-safe base 64): with 256 bits of entropy a plain
SHA-256 is enough to store it (no salt nor slow hash is needed against guessing).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts import ratelimit
from realisa.accounts.models import User
from realisa.api.models import ApiToken, ApiUsage
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.lib.client_ip import client_ip
from realisa.lib.french import plural

PREFIX = "rea_"
RATE_WINDOW_SECONDS = 60


class TokenRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def max_expiry(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=settings.API_TOKEN_MAX_DAYS)


def create_token(
    user: User, *, name: str, expires_on: date, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid until the end of ``expires_on``; (token, raw value).
    The raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise TokenRefused("Donnez un nom au jeton, pour le reconnaître.")
    if expires_on <= timezone.localdate():
        raise TokenRefused("La date d'expiration doit être postérieure à aujourd'hui.")
    if expires_on > max_expiry():
        raise TokenRefused(
            f"Un jeton est valable au plus {plural(settings.API_TOKEN_MAX_DAYS, 'jour')} "
            f"(jusqu'au {max_expiry():%d/%m/%Y})."
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(datetime.combine(expires_on + timedelta(days=1), time.min))
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=raw[: len(PREFIX) + 6],
            token_sha256=digest(raw),
            expires_at=expires_at,
        )
        record(
            EventType.API_TOKEN_CREATED,
            actor=user,
            obj=token,
            payload={"name": token.name, "expires_at": expires_at.isoformat()},
            request=request,
        )
    return token, raw


def revoke_token(token: ApiToken, *, actor: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record(EventType.API_TOKEN_REVOKED, actor=actor, obj=locked, request=request)


def find_token(raw: str) -> ApiToken | None:
    """The usable token whose value is ``raw``, with its active user; None otherwise."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user__organisation")
        .filter(token_sha256=digest(raw))
        .first()
    )
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    return token


def within_rate(token: ApiToken) -> bool:
    """Count one request for the token; False past API_RATE_LIMIT in the current minute,
    counted across every process that serves the API."""
    return ratelimit.within(
        "api", str(token.pk), limit=settings.API_RATE_LIMIT, seconds=RATE_WINDOW_SECONDS
    )


def log_use(token: ApiToken, request: HttpRequest) -> None:
    """The usage log: one light row per request (changes are in the audit chain too)."""
    now = timezone.now()
    ApiUsage.objects.create(
        token=token,
        at=now,
        method=request.method or "",
        path=request.path[:300],
        ip=client_ip(request),
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
