"""Six agents submit the same transmission at the same instant (PostgreSQL)."""

from __future__ import annotations

import threading

from django.db import connection

from realisa.audit.log import first_broken_event
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.funder.models import Transmission, TransmissionLine
from realisa.funder.transmission import create_transmission
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World
from tests.funder.conftest import FEBRUARY, JANUARY, certified

pytestmark = CONCURRENT_ON_POSTGRESQL
AGENTS = 6


def test_simultaneous_submissions_make_one_batch(world: World) -> None:
    ids = [certified(world.dossier, JANUARY).pk, certified(world.dossier, FEBRUARY).pk]
    barrier = threading.Barrier(AGENTS)
    results: list[tuple[int, bool]] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            transmission, created = create_transmission(ids, actor=world.agent)
            results.append((transmission.pk, created))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(AGENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == AGENTS
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Transmission.objects.count() == 1 and TransmissionLine.objects.count() == 2
    assert set(Certificate.objects.values_list("status", flat=True)) == {MonthStatus.TRANSMITTED}
    assert first_broken_event() is None
