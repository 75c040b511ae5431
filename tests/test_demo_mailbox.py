"""The « Boîte mail de démonstration » exists only in demo mode."""

from typing import Any

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
