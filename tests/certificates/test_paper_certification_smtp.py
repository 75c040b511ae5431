"""The mail server is down, or hangs, when « Certifier » is clicked: the certification is
done at once, and the three e-mails arrive, once each, when the server is back."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from realisa.certificates.certification import certify_paper, replace_signed_scan
from realisa.choices import MonthStatus
from realisa.demo.files import one_page_pdf
from realisa.dossiers.models import Dossier
from realisa.notifications.models import OutboxEmail
from realisa.notifications.outbox import backoff, send_due
from tests.certificates.test_entry_service import enter
from tests.conftest import Inbox, World, run_background_jobs


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_down_never_blocks_a_certification(
    world: World, dossier: Dossier, smtp_server: tuple[Controller, Inbox]
) -> None:
    controller, inbox = smtp_server
    certificate = enter(dossier, world.of_user).certificate
    scan = SimpleUploadedFile("scan.pdf", one_page_pdf("Signe"), "application/pdf")
    replace_signed_scan(certificate, scan, actor=world.of_user, request=None)

    certified = certify_paper(certificate, actor=world.of_user, request=None)
    assert certified.status == MonthStatus.CERTIFIED
    run_background_jobs()  # the first try, after the response: refused
    waiting = OutboxEmail.objects.filter(kind="certificate_available")
    assert waiting.count() == 3
    assert all(e.status == OutboxEmail.Status.PENDING and e.attempts == 1 for e in waiting)

    controller.start()
    later = timezone.now() + backoff(1)
    assert send_due(now=later) == 3
    assert send_due(now=later + timedelta(hours=1)) == 0
    subjects = [
        message_from_bytes(m.as_bytes(), policy=policy.default)["Subject"].strip()
        for m in inbox.received
    ]
    assert len(subjects) == 3
    assert "Votre certificat de réalisation de mars 2026 est disponible" in subjects


@pytest.mark.django_db(transaction=True)
def test_certify_answers_without_waiting_for_a_mail_server_that_never_answers(
    client: Client,
    world: World,
    dossier: Dossier,
    silent_smtp: list[socket.socket],
    settings: Any,
) -> None:
    certificate = enter(dossier, world.of_user).certificate
    scan = SimpleUploadedFile("scan.pdf", one_page_pdf("Signe"), "application/pdf")
    replace_signed_scan(certificate, scan, actor=world.of_user, request=None)
    client.force_login(world.of_user)

    response = client.post(reverse("certificates:certify", args=[dossier.number, 2026, 3]))

    assert response.status_code == 302
    assert silent_smtp == []  # the request never reached the mail server
    waiting = OutboxEmail.objects.filter(kind="certificate_available")
    assert [e.status for e in waiting] == [OutboxEmail.Status.PENDING] * 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # answers again
    run_background_jobs()
    assert len(mail.outbox) == 3
