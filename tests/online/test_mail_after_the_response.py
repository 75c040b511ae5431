"""Certification 2 with a mail server that accepts connections and never answers: sending
the code and certifying with it answer at once; the e-mails leave after the response."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.notifications.models import OutboxEmail
from tests.conftest import World, run_background_jobs
from tests.online.conftest import AGENT, IP


@pytest.mark.django_db(transaction=True)
def test_the_code_and_the_certification_never_wait_for_the_mail_server(
    ready: World, entered: Certificate, silent_smtp: list[socket.socket], settings: Any
) -> None:
    browser = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    browser.force_login(ready.of_user)
    month = [ready.dossier.number, 2026, 3]

    sent = browser.post(reverse("certificates:online_send", args=month), follow=True)
    assert "Le code de vérification a été envoyé par e-mail" in sent.text
    email = OutboxEmail.objects.get(kind="online_code")
    code = re.search(r"^(\d{4})$", email.body_text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    done = browser.post(
        reverse("certificates:online_code", args=month), {"code": code}, follow=True
    )

    assert "Les heures sont certifiées" in done.text
    assert Certificate.objects.get().status == MonthStatus.CERTIFIED
    assert silent_smtp == []  # neither request reached the mail server
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"pending"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # answers again
    run_background_jobs()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {ready.of_user.email, ready.dossier.beneficiary.email} <= recipients
