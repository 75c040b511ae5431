"""Two runs of the month-start batch at the same instant make each PDF once (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

from django.db import connection

from realisa.audit.log import first_broken_event
from realisa.audit.models import AuditEvent
from realisa.certificates import batch
from realisa.documents.models import CertificateVersion
from tests.conftest import CONCURRENT_ON_POSTGRESQL
from tests.factories import CertificateFactory, DossierFactory

pytestmark = CONCURRENT_ON_POSTGRESQL
MARCH = date(2026, 3, 1)


def test_two_simultaneous_runs_make_each_pdf_once() -> None:
    ids = [CertificateFactory(dossier=DossierFactory(), month=MARCH).pk for _ in range(6)]
    barrier = threading.Barrier(2)
    made: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            made.append(batch.generate_chunk(ids))  # both read all six as missing
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(made) == 6
    for pk in ids:
        assert CertificateVersion.objects.filter(certificate_id=pk).count() == 1
    assert AuditEvent.objects.filter(action="certificate.pdf_generated").count() == 6
    assert first_broken_event() is None
