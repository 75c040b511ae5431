"""Four processes, as four gunicorn workers, share one token's limit: across all of them the
API answers exactly API_RATE_LIMIT requests, then 429 (PostgreSQL; and through Redis)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from realisa.api import tokens
from tests.api.conftest import ApiClient, raw_token
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World
from tests.test_rate_limits import REDIS_URL, forget_redis_counters, redis_is_up

pytestmark = CONCURRENT_ON_POSTGRESQL
PROCESSES, EACH, LIMIT = 4, 10, 15


def worker(raw: str, start: Any, statuses: Any) -> None:
    """One process: wait for the others, then send its requests."""
    try:
        start.wait(timeout=30)
        client = ApiClient(raw)
        statuses.put([client.get("/dossiers").status_code for _ in range(EACH)])
    finally:
        connections.close_all()


def send_from_processes(raw: str) -> list[int]:
    context = multiprocessing.get_context("fork")  # the children inherit the test's settings
    start, statuses = context.Barrier(PROCESSES), context.Queue()
    connections.close_all()  # each process opens its own connection
    processes = [
        context.Process(target=worker, args=(raw, start, statuses)) for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    answers = [status for _ in processes for status in statuses.get(timeout=120)]
    for process in processes:
        process.join(timeout=30)
    return answers


@pytest.fixture(params=["database", "redis"])
def backend(request: Any, settings: Any, monkeypatch: Any) -> Iterator[str]:
    settings.RATE_LIMIT_REDIS_URL = ""
    if request.param == "redis":
        if not redis_is_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.RATE_LIMIT_REDIS_URL = REDIS_URL
    monkeypatch.setattr(tokens, "RATE_WINDOW_SECONDS", 10**9)  # one window for the whole test
    forget_redis_counters()
    yield str(request.param)
    forget_redis_counters()


def test_the_limit_holds_across_processes(world: World, settings: Any, backend: str) -> None:
    settings.API_RATE_LIMIT = LIMIT
    answers = send_from_processes(raw_token(world.of_user))
    assert len(answers) == PROCESSES * EACH
    assert answers.count(200) == LIMIT
    assert answers.count(429) == PROCESSES * EACH - LIMIT
