"""Eight submissions of a batch's code at the same instant certify each month once
(PostgreSQL)."""

from __future__ import annotations

from django.urls import reverse

from realisa.audit.log import first_broken_event
from realisa.audit.models import AuditEvent
from realisa.certificates.batch_certification import open_batch, request_batch_code
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus, VersionReason
from realisa.notifications.models import OutboxEmail
from tests.conftest import CONCURRENT_ON_POSTGRESQL, World
from tests.factories import BeneficiaryFactory, DossierFactory
from tests.online.conftest import enter, posted_at_once, web

pytestmark = CONCURRENT_ON_POSTGRESQL
CLICKS = 8


def test_eight_simultaneous_submissions_of_the_batch_code_certify_each_month_once(
    ready: World,
) -> None:
    second = DossierFactory(
        organisation=ready.dossier.organisation, beneficiary=BeneficiaryFactory(with_login=True)
    )
    march = enter(ready)
    ready.dossier = second
    other = enter(ready, gap_reason="Pas de calendrier pour ce dossier")
    batch = open_batch(ready.of_user, [march.pk, other.pk])
    code = request_batch_code(batch, actor=ready.of_user, request=web(ready.of_user)).code
    path = reverse("certificates:batch_code", args=[batch.pk])
    statuses = posted_at_once(ready.of_user, path, {"code": code}, CLICKS)

    assert statuses == [302] * CLICKS  # the others are shown where the batch stands
    for month in (march, other):
        certificate = Certificate.objects.get(pk=month.pk)
        assert certificate.status == MonthStatus.CERTIFIED
        assert certificate.versions.filter(reason=VersionReason.CERTIFICATION).count() == 1
    assert AuditEvent.objects.filter(action="certificate.certified").count() == 2
    assert AuditEvent.objects.filter(action="online.code_verified").count() == 1
    assert AuditEvent.objects.filter(action="batch.certified").count() == 1
    assert OutboxEmail.objects.filter(kind="validation_requested").count() == 2
    assert OutboxEmail.objects.filter(kind="batch_certified").count() == 1
    assert first_broken_event() is None
