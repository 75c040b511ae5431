"""Two people save the same month at the same time: one wins, the other is told.

Real concurrent transactions need PostgreSQL (SQLite serialises every writer); the
threads each use their own connection and close it when done.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection

from realisa.audit.log import first_broken_event
from realisa.audit.models import AuditEvent
from realisa.certificates.entry import HoursEntry, StaleEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.rules import Hours
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import HOUR, MARCH
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World

pytestmark = CONCURRENT_ON_POSTGRESQL


def save_together(dossier: Dossier, people: list[Any], version: int) -> list[str]:
    """Each person saves different hours at the same instant; what each one got."""
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def save(actor: Any, centre: int) -> None:
        try:
            barrier.wait(timeout=10)
            enter_hours(
                dossier,
                MARCH,
                actor=actor,
                entry=HoursEntry(Hours(centre=centre), certifies_entry=True),
                expected_version=version,
            )
            outcomes.append(f"saved {centre}")
        except StaleEntry:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(actor, (i + 1) * HOUR))
        for i, actor in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_first_entries_at_once_create_one_month_and_refuse_the_other(
    world: World, dossier: Dossier
) -> None:
    outcomes = save_together(dossier, [world.of_user, world.of_admin], version=0)
    assert len(outcomes) == 2 and outcomes[1] == "stale"
    certificate = Certificate.objects.get(dossier=dossier, month=MARCH)
    assert outcomes[0] == f"saved {certificate.centre_minutes}" and certificate.version == 1
    assert AuditEvent.objects.filter(action="hours.entered").count() == 1


def test_two_corrections_at_once_never_lose_one_silently(world: World, dossier: Dossier) -> None:
    enter_hours(
        dossier,
        MARCH,
        actor=world.of_user,
        entry=HoursEntry(Hours(centre=10 * HOUR), certifies_entry=True),
        expected_version=0,
    )
    outcomes = save_together(dossier, [world.of_user, world.of_admin], version=1)
    assert outcomes[1] == "stale"
    certificate = Certificate.objects.get(dossier=dossier, month=MARCH)
    assert outcomes[0] == f"saved {certificate.centre_minutes}" and certificate.version == 2
    events = AuditEvent.objects.filter(action="hours.entered").order_by("id")
    assert [e.payload["version"] for e in events] == [1, 2]
    assert events[1].payload["old"]["centre"] == 10 * HOUR
    assert first_broken_event() is None
