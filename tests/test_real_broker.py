"""A real stack: a Celery worker on Redis and PostgreSQL takes the outbox and the
month-start batch from the broker (skipped where either service is not there)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection, transaction
from django.db.models import Count

from realisa.celery import app as celery_app
from realisa.certificates import batch
from realisa.certificates.tasks import queue_month
from realisa.documents.models import CertificateVersion
from realisa.notifications.models import OutboxEmail
from realisa.notifications.outbox import enqueue
from tests.factories import CertificateFactory, DossierFactory

ROOT = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)


def redis_is_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not redis_is_up(),
        reason="needs PostgreSQL and Redis (the CI run on PostgreSQL has both)",
    ),
]


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def forget_connections() -> None:
    """Celery pools its broker connections at first use: after changing the broker URL,
    drop them, or messages would still go to the broker of an earlier test."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def start_worker(environment: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "realisa",
            "worker",
            "--pool=threads",
            "--concurrency=2",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=environment,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def worker_environment(settings: Any) -> Iterator[dict[str, str]]:
    """The environment of a worker on a queue of its own, using this test's database and
    files; this process sends its tasks to the same broker."""
    broker = "redis://127.0.0.1:6379/14"  # a database of its own, emptied first
    redis.Redis(host=REDIS[0], port=REDIS[1], db=14).flushdb()
    database = connection.settings_dict
    storage = settings.STORAGES["default"]["OPTIONS"]["location"]
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "realisa.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "CELERY_BROKER_URL": broker,
        "PRIVATE_STORAGE_ROOT": str(storage),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    keys = ("broker_url", "task_always_eager")
    previous = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=broker, task_always_eager=False)
    forget_connections()
    settings.CELERY_BROKER_URL = broker
    try:
        yield environment
    finally:
        celery_app.conf.update(**previous)
        forget_connections()


@pytest.fixture
def worker(worker_environment: dict[str, str]) -> Iterator[None]:
    process = start_worker(worker_environment)
    try:
        yield
    finally:
        stop(process)


def test_the_outbox_goes_through_a_real_broker(worker: None) -> None:
    with transaction.atomic():
        email = enqueue("test", ["julie@example.org"], "Votre certificat", "Bonjour")
    sent = wait_for(lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT)
    assert sent, OutboxEmail.objects.get(pk=email.pk).last_error


def test_the_month_start_batch_runs_in_parallel_worker_tasks(worker: None) -> None:
    march = date(2026, 3, 1)
    ids = [CertificateFactory(dossier=DossierFactory(), month=march).pk for _ in range(120)]
    assert queue_month(march) == 120  # three chunks of 50 or fewer, queued on Redis
    made = wait_for(
        lambda: CertificateVersion.objects.filter(certificate_id__in=ids).count() == 120, 120
    )
    assert made
    assert batch.missing(march) == []


def test_a_batch_finishes_by_itself_after_its_worker_is_killed(
    worker_environment: dict[str, str],
) -> None:
    """SIGKILL, as an out-of-memory kill or a power cut: the chunks it held were neither
    done nor acknowledged. The next worker gets them back from Redis once the visibility
    timeout has passed, and makes only the PDFs still missing."""
    march = date(2026, 3, 1)
    ids = [CertificateFactory(dossier=DossierFactory(), month=march).pk for _ in range(200)]
    made = CertificateVersion.objects.filter(certificate_id__in=ids)
    environment = worker_environment | {"CELERY_VISIBILITY_TIMEOUT": "5"}
    first = start_worker(environment)
    try:
        assert queue_month(march) == 200  # four chunks
        assert wait_for(lambda: made.count() >= 30, 120)
    finally:
        first.kill()
        first.wait(timeout=30)
    assert made.count() < 200, "the batch ended before the kill: make it longer"
    second = start_worker(environment)
    try:
        assert wait_for(lambda: made.count() >= 200, 240), f"{made.count()} PDF sur 200"
    finally:
        stop(second)
    assert batch.missing(march) == []
    per_certificate = made.values("certificate_id").annotate(n=Count("pk"))
    assert {row["n"] for row in per_certificate} == {1}  # none made twice
