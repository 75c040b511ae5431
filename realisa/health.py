"""The health checks, for a process supervisor and a load balancer.

- ``/healthz/live``: the process answers; nothing else is asked (restart it when it does
  not answer).
- ``/healthz/ready`` (and ``/healthz``, its older name): can this instance serve? The
  database and the storage decide; the broker's state is reported but does not take the
  host out of rotation, since the outbox keeps e-mails and webhooks until it is back.

They write nothing. Anyone gets « ok » or « erreur » (200 or 503), enough for a load
balancer; the instance's own host (loopback) and the funder's agents also get each
part's answer, which tells an outsider nothing about the inside."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from realisa.celery import app
from realisa.choices import Role
from realisa.lib.client_ip import client_ip


def _database() -> None:
    # The smallest statement the database must answer, touching none of our tables: a
    # question to the server, not to the ORM.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> None:
    if not settings.CELERY_BROKER_URL:
        return  # the embedded default runs tasks in the process: nothing to reach
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage() -> None:
    location = getattr(default_storage, "location", None)
    if location is None:  # a remote storage (S3): one question, no write
        default_storage.exists("healthz")
        return
    # The folder, or before the first upload the nearest folder it will be made in.
    existing = Path(location)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not (existing.is_dir() and os.access(existing, os.W_OK)):
        raise PermissionError(f"{location} n'est pas un dossier accessible en écriture")


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "broker": _broker,
    "storage": _storage,
}
REQUIRED = {"database", "storage"}  # a failing broker is reported, not fatal


def _may_see_details(request: HttpRequest) -> bool:
    ip = client_ip(request)
    if ip is not None and ipaddress.ip_address(ip).is_loopback:
        return True
    return bool(request.user.is_authenticated and request.user.role == Role.AGENT)


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure is reported; a required one is fatal
            results[name] = f"erreur : {type(error).__name__}"
        else:
            results[name] = "ok"
    healthy = all(results[name] == "ok" for name in REQUIRED)
    answer: dict[str, object] = {"status": "ok" if healthy else "erreur"}
    if _may_see_details(request):
        answer["checks"] = results
    return JsonResponse(answer, status=200 if healthy else 503)
