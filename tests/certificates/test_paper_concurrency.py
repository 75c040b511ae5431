"""Eight people click « Certifier » on the same month at the same instant (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from realisa.audit.log import first_broken_event
from realisa.audit.models import AuditEvent
from realisa.certificates.certification import replace_signed_scan
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.demo.files import one_page_pdf
from realisa.dossiers.models import Dossier
from realisa.notifications.models import OutboxEmail
from tests.certificates.test_entry_service import enter
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World

pytestmark = CONCURRENT_ON_POSTGRESQL
CLICKS = 8


def test_eight_simultaneous_certifier_make_one_certification(
    world: World, dossier: Dossier
) -> None:
    certificate: Certificate = enter(dossier, world.of_user).certificate
    scan = SimpleUploadedFile("scan.pdf", one_page_pdf("Signe"), "application/pdf")
    replace_signed_scan(certificate, scan, actor=world.of_user, request=None)
    path = reverse("certificates:certify", args=[dossier.number, 2026, 3])
    barrier = threading.Barrier(CLICKS)
    statuses: list[int] = []

    def click(actor: Any) -> None:
        client = Client()
        client.force_login(actor)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(path).status_code)
        finally:
            connection.close()

    people = [world.of_user if i % 2 else world.of_admin for i in range(CLICKS)]
    threads = [threading.Thread(target=click, args=(actor,)) for actor in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302] * CLICKS  # no error page: the others are told it is done
    certificate.refresh_from_db()
    assert certificate.status == MonthStatus.CERTIFIED
    assert AuditEvent.objects.filter(action="certificate.certified").count() == 1
    assert OutboxEmail.objects.filter(kind="certificate_available").count() == 3
    assert certificate.versions.count() == 2  # entry, then the one certification
    assert first_broken_event() is None
