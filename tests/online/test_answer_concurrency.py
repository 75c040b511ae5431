"""Four runs of the answer's sweep at the same instant (beat and cron, say): the
beneficiary is reminded once, then the month is validated once (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from django.db import connection

from realisa.audit.log import first_broken_event
from realisa.audit.models import AuditEvent
from realisa.certificates.answer import Sweep, close_unanswered_months
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus, ValidationKind, VersionReason
from realisa.notifications.models import OutboxEmail
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World
from tests.online.conftest import PARIS
from tests.online.test_sealed_versions import certify

pytestmark = CONCURRENT_ON_POSTGRESQL
RUNS = 4


def at_once(run: Callable[[], Sweep]) -> list[Sweep]:
    barrier = threading.Barrier(RUNS)
    results: list[Sweep] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(run())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_simultaneous_sweeps_remind_once_and_validate_once(
    ready: World, entered: Certificate
) -> None:
    certify(ready, entered)

    reminders = at_once(lambda: close_unanswered_months(datetime(2026, 4, 5, 10, tzinfo=PARIS)))
    closes = at_once(lambda: close_unanswered_months(datetime(2026, 4, 11, 1, tzinfo=PARIS)))

    assert sorted(s.reminded for s in reminders) == [0] * (RUNS - 1) + [1]
    assert sorted(s.validated for s in closes) == [0] * (RUNS - 1) + [1]
    certificate = Certificate.objects.get(pk=entered.pk)
    assert certificate.status == MonthStatus.VALIDATED
    assert certificate.validation_kind == ValidationKind.NO_ANSWER
    assert OutboxEmail.objects.filter(kind="answer_reminder").count() == 1
    assert OutboxEmail.objects.filter(kind="validated_instead").count() == 2  # two audiences
    assert AuditEvent.objects.filter(action="certificate.validated_without_answer").count() == 1
    assert certificate.versions.filter(reason=VersionReason.VALIDATION).count() == 1
    assert first_broken_event() is None
