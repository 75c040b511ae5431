"""Eight submissions of the same valid code at the same instant: one certification (PostgreSQL)."""

from __future__ import annotations

from django.urls import reverse

from realisa.audit.log import first_broken_event
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.certificates.online import request_code
from realisa.choices import MonthStatus, VersionReason
from realisa.notifications.models import OutboxEmail
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World
from tests.online.conftest import posted_at_once, web

pytestmark = CONCURRENT_ON_POSTGRESQL
CLICKS = 8


def test_eight_simultaneous_submissions_of_the_same_code_make_one_certification(
    ready: World, entered: Certificate
) -> None:
    code = request_code(entered, actor=ready.of_user, request=web(ready.of_user)).code
    path = reverse("certificates:online_code", args=[ready.dossier.number, 2026, 3])
    statuses = posted_at_once(ready.of_user, path, {"code": code}, CLICKS)

    assert statuses == [302] * CLICKS  # the others are told it is already certified
    certificate = Certificate.objects.get(pk=entered.pk)
    assert certificate.status == MonthStatus.CERTIFIED
    assert AuditEvent.objects.filter(action="certificate.certified").count() == 1
    assert AuditEvent.objects.filter(action="online.code_verified").count() == 1
    sealed = certificate.versions.filter(reason=VersionReason.CERTIFICATION)
    assert sealed.count() == 1
    assert OutboxEmail.objects.filter(kind="validation_requested").count() == 1
    assert first_broken_event() is None
