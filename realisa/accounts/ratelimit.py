"""Rate limits that hold across processes: one shared counter per limit, subject and window.

Every gunicorn worker counts into the same place, atomically: Redis (``INCR`` and its
expiry in one ``MULTI``) when ``RATE_LIMIT_REDIS_URL`` names one, otherwise the database
(``RateCounter``, ``UPDATE … SET count = count + 1``: the row stays locked until the
commit, so no two requests read the same count). A process's memory or Django's cache
would not do: each worker would keep its own count, or read then write. Should Redis be
unreachable, the database counts instead, rather than no limit at all.

Windows are fixed (a limit per minute counts 12:03:00 to 12:04:00, whatever the first
request's time). The subject (an IP, a token, an e-mail address) is kept only as a keyed
hash.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from realisa.accounts.models import RateCounter

logger = logging.getLogger(__name__)
REDIS_PREFIX = "realisa:rate:"


def within(scope: str, subject: str, *, limit: int, seconds: int) -> bool:
    """Count one request of ``subject`` against the limit ``scope``: False past ``limit``
    requests in the current window of ``seconds``."""
    return hit(scope, subject, seconds=seconds) <= limit


def hit(scope: str, subject: str, *, seconds: int) -> int:
    """Count one request; the number of requests of the window so far, this one included."""
    window = int(timezone.now().timestamp()) // seconds
    hashed = salted_hmac("realisa.ratelimit", subject, algorithm="sha256").hexdigest()[:32]
    key = f"{scope}:{hashed}:{window}"
    ends = datetime.fromtimestamp((window + 1) * seconds, tz=UTC)
    if settings.RATE_LIMIT_REDIS_URL:
        try:
            return _redis_hit(settings.RATE_LIMIT_REDIS_URL, REDIS_PREFIX + key, ends)
        except redis.RedisError as error:
            logger.warning("Rate limits: Redis unreachable (%s), counting in the database", error)
    return _database_hit(key, ends)


def _redis_hit(url: str, key: str, ends: datetime) -> int:
    with _redis(url).pipeline(transaction=True) as pipe:  # the key never lives without expiry
        pipe.incr(key)
        pipe.expireat(key, int(ends.timestamp()) + 1)
        count, _ = pipe.execute()
    return int(count)


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    """One client (and its connection pool) per process; short timeouts, as a request waits."""
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _database_hit(key: str, ends: datetime) -> int:
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key).update(count=F("count") + 1):
            _first_of_window(key, ends)
        # Our UPDATE or INSERT holds the row's lock until the commit: the count is ours.
        count: int = RateCounter.objects.values_list("count", flat=True).get(key=key)
    if count == 1:  # once a window and subject, the windows that have ended go
        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


def _first_of_window(key: str, ends: datetime) -> None:
    try:
        with transaction.atomic():
            RateCounter.objects.create(key=key, count=1, expires_at=ends)
    except IntegrityError:  # another process created it between our UPDATE and INSERT
        RateCounter.objects.filter(key=key).update(count=F("count") + 1)
