"""The « Boîte mail de démonstration » exists only in demo mode."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from realisa.notifications.models import OutboxEmail


def _email(to: str, subject: str) -> OutboxEmail:
    return OutboxEmail.objects.create(
        kind="test", to=[to], subject=subject, body_text="Code : 4821"
    )


def test_outside_demo_mode_the_mailbox_does_not_exist(db: None, client: Client) -> None:
    email = _email("julie@example.org", "Votre code")
    assert client.get(reverse("demo:mailbox")).status_code == 404
    assert client.get(reverse("demo:mailbox_email", args=[email.pk])).status_code == 404


def test_in_demo_mode_every_email_can_be_read(db: None, client: Client, settings: Any) -> None:
    settings.DEMO_MODE = True
    email = _email("julie@example.org", "Votre code de vérification")
    _email("rh@example.org", "Certificat disponible")
    page = client.get(reverse("demo:mailbox"), {"a": "julie"}).text
    assert "Votre code de vérification" in page and "Certificat disponible" not in page
    assert "Boîte mail de démonstration" in page
    assert "Code : 4821" in client.get(reverse("demo:mailbox_email", args=[email.pk])).text


@pytest.mark.parametrize("address", ["203.0.113.5", "10.0.0.8", "2001:db8::5"])
def test_the_mailbox_answers_only_the_machine_itself(db: None, settings: Any, address: str) -> None:
    settings.DEMO_MODE = True
    email = _email("julie@example.org", "Votre code de vérification")
    outsider = Client(REMOTE_ADDR=address)
    assert outsider.get(reverse("demo:mailbox")).status_code == 404
    assert outsider.get(reverse("demo:mailbox_email", args=[email.pk])).status_code == 404
    assert Client(REMOTE_ADDR="::1").get(reverse("demo:mailbox")).status_code == 200


def test_a_forwarded_header_does_not_open_the_mailbox(db: None, settings: Any) -> None:
    settings.DEMO_MODE = True
    forged = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert forged.get(reverse("demo:mailbox")).status_code == 404
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # a proxy on the machine, forwarding an outsider
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert proxied.get(reverse("demo:mailbox")).status_code == 404
