"""The shared rate-limit counter: every request counted once, in the database or in Redis,
whichever process counts it; a new window starts afresh; a Redis outage falls back to the
database rather than to no limit at all."""

from __future__ import annotations

import multiprocessing
import socket
import uuid
from datetime import timedelta
from typing import Any

import pytest
import redis
import time_machine
from django.utils import timezone

from realisa.accounts import ratelimit
from realisa.accounts.models import RateCounter

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied of counters by the tests
PROCESSES, EACH, LIMIT = 4, 25, 60


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def forget_redis_counters() -> None:
    if redis_is_up():
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{ratelimit.REDIS_PREFIX}*"):
            client.delete(key)


needs_redis = pytest.mark.skipif(not redis_is_up(), reason="Redis is not running on :6379")


def hits(scope: str, times: int, *, limit: int = LIMIT, seconds: int = 60) -> list[bool]:
    return [
        ratelimit.within(scope, "198.51.100.7", limit=limit, seconds=seconds) for _ in range(times)
    ]


def test_the_database_counts_every_request_of_a_window(db: None, settings: Any) -> None:
    settings.RATE_LIMIT_REDIS_URL = ""
    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        assert hits("test", 5, limit=3) == [True, True, True, False, False]
        assert ratelimit.within("test", "192.0.2.1", limit=3, seconds=60)  # another subject
        assert ratelimit.within("other", "198.51.100.7", limit=3, seconds=60)  # another limit
    assert RateCounter.objects.get(count=5).key.startswith("test:")
    assert "198.51.100.7" not in "".join(RateCounter.objects.values_list("key", flat=True))


def test_a_new_window_starts_afresh_and_the_past_ones_are_removed(db: None, settings: Any) -> None:
    settings.RATE_LIMIT_REDIS_URL = ""
    with time_machine.travel(timezone.now().replace(second=5), tick=False) as traveller:
        assert hits("test", 4, limit=3)[-1] is False
        traveller.shift(timedelta(minutes=1))
        assert hits("test", 3, limit=3) == [True, True, True]
        traveller.shift(timedelta(minutes=2))
        assert hits("test", 1, limit=3) == [True]
    assert list(RateCounter.objects.values_list("count", flat=True)) == [1]


@needs_redis
def test_redis_counts_every_request_and_forgets_the_window_after_it(settings: Any) -> None:
    settings.RATE_LIMIT_REDIS_URL = REDIS_URL
    scope = f"test-{uuid.uuid4().hex}"
    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        assert hits(scope, 5, limit=3) == [True, True, True, False, False]
    client = redis.Redis.from_url(REDIS_URL)
    (key,) = client.keys(f"{ratelimit.REDIS_PREFIX}{scope}:*")
    assert int(client.get(key) or 0) == 5 and 0 < client.ttl(key) <= 61
    client.delete(key)


def test_without_redis_the_database_keeps_counting(db: None, settings: Any) -> None:
    settings.RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        assert hits("test", 4, limit=3) == [True, True, True, False]
    assert RateCounter.objects.get().count == 4


def count_in_redis(scope: str, start: Any, allowed: Any) -> None:
    """One process: wait for the others, then count its requests."""
    start.wait(timeout=30)
    allowed.put(hits(scope, EACH, seconds=10**9).count(True))


@needs_redis
def test_redis_counts_exactly_the_limit_across_processes(settings: Any) -> None:
    settings.RATE_LIMIT_REDIS_URL = REDIS_URL
    scope = f"test-{uuid.uuid4().hex}"
    context = multiprocessing.get_context("fork")
    start, allowed = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=count_in_redis, args=(scope, start, allowed))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    total = sum(allowed.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    client = redis.Redis.from_url(REDIS_URL)
    (key,) = client.keys(f"{ratelimit.REDIS_PREFIX}{scope}:*")
    assert (total, int(client.get(key) or 0)) == (LIMIT, PROCESSES * EACH)
    client.delete(key)
