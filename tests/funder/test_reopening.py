"""The funder reopens a certified, validated or transmitted month, with a reason, unless paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.lifecycle import NotNow
from realisa.certificates.reopening import reopen
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.models import CertificateVersion
from realisa.documents.services import generate_version
from realisa.funder.payments import PaymentData, record_payment
from realisa.funder.transmission import create_transmission
from realisa.lib.errors import Invalid
from tests.conftest import World, run_background_jobs
from tests.factories import CertificateFactory
from tests.funder.conftest import FEBRUARY, certified, validated

REASON = "Les heures de stage sont à revoir."


def test_a_certified_month_goes_back_to_entered(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    month = certified(world.dossier, FEBRUARY)
    generate_version(month, reason=VersionReason.CERTIFICATION, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        reopen(month, actor=world.agent, reason=REASON)
    month.refresh_from_db()
    assert month.status == MonthStatus.ENTERED
    assert month.certified_at is None and month.certification_method == ""
    event = AuditEvent.objects.get(action="certificate.reopened")
    assert event.payload["reason"] == REASON and event.payload["previous"]["status"] == "certified"
    assert (
        CertificateVersion.objects.filter(certificate=month).count() == 2
    )  # the earlier one stays
    run_background_jobs()
    recipients = {address for email in mail.outbox for address in email.to}
    assert world.of_user.email in recipients
    assert world.dossier.beneficiary.email not in recipients
    assert REASON in mail.outbox[0].body


def test_the_beneficiary_who_validated_is_told(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    month = validated(world.dossier, FEBRUARY)
    with django_capture_on_commit_callbacks(execute=True):
        reopen(month, actor=world.agent, reason=REASON)
    run_background_jobs()
    recipients = {address for email in mail.outbox for address in email.to}
    assert world.dossier.beneficiary.email in recipients
    month.refresh_from_db()
    assert month.validated_at is None


def test_reopening_is_refused_after_a_payment(world: World) -> None:
    month = certified(world.dossier, FEBRUARY)
    paid = PaymentData(date(2026, 2, 1), date(2026, 2, 28), Decimal(900), date(2026, 3, 20), False)
    record_payment(world.dossier, paid, actor=world.agent)
    with pytest.raises(NotNow, match="des règlements ont été faits dans la période"):
        reopen(month, actor=world.agent, reason=REASON)
    month.refresh_from_db()
    assert month.status == MonthStatus.CERTIFIED


def test_an_advance_does_not_prevent_reopening(world: World) -> None:
    month = certified(world.dossier, FEBRUARY)
    advance = PaymentData(
        date(2026, 2, 1), date(2026, 2, 28), Decimal(900), date(2026, 3, 20), True
    )
    record_payment(world.dossier, advance, actor=world.agent)
    reopen(month, actor=world.agent, reason=REASON)
    month.refresh_from_db()
    assert month.status == MonthStatus.ENTERED


def test_a_transmitted_month_can_be_reopened(world: World) -> None:
    month = certified(world.dossier, FEBRUARY)
    create_transmission([month.pk], actor=world.agent)
    reopen(month, actor=world.agent, reason=REASON)
    month.refresh_from_db()
    assert month.status == MonthStatus.ENTERED and month.transmitted_at is None
    event = AuditEvent.objects.get(action="certificate.reopened")
    assert event.payload["previous"]["status"] == "transmitted"
    assert event.payload["previous"]["transmitted_at"] is not None


def test_reopening_needs_a_reason_and_a_certified_month(world: World) -> None:
    with pytest.raises(Invalid, match="motif"):
        reopen(certified(world.dossier, FEBRUARY), actor=world.agent, reason="  ")
    entered = CertificateFactory(dossier=world.dossier, month=date(2026, 3, 1))
    with pytest.raises(NotNow, match="Seul un mois certifié, validé ou transmis"):
        reopen(entered, actor=world.agent, reason=REASON)


def test_the_agent_reopens_from_the_page(world: World, agent_client: Client) -> None:
    month = certified(world.dossier, FEBRUARY)
    url = reverse("funder:reopen", args=[world.dossier.number, 2026, 2])
    empty = agent_client.post(url, {"reason": ""})
    assert "Indiquez le motif de la réouverture." in unescape(empty.content.decode())
    response = agent_client.post(url, {"reason": REASON}, follow=True)
    assert "Le mois de février 2026 est rouvert. L'organisme est prévenu." in unescape(
        response.content.decode()
    )
    month.refresh_from_db()
    assert month.status == MonthStatus.ENTERED


def test_the_page_says_why_a_paid_month_cannot_be_reopened(
    world: World, agent_client: Client
) -> None:
    certified(world.dossier, FEBRUARY)
    paid = PaymentData(date(2026, 2, 1), date(2026, 2, 28), Decimal(900), date(2026, 3, 20), False)
    record_payment(world.dossier, paid, actor=world.agent)
    url = reverse("funder:reopen", args=[world.dossier.number, 2026, 2])
    response = agent_client.post(url, {"reason": REASON})
    assert response.status_code == 409
    assert "des règlements ont été faits dans la période" in unescape(response.content.decode())
