"""The evidence of an entry and of a certification names the client behind the proxy,
not the proxy's own address."""

from typing import Any

from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import MARCH
from tests.conftest import World

ENTRY = {"version": 0, "centre": "20", "internship": "7", "absence": "1",
         "certifies_entry": "on", "accepts_ip_use": "on"}  # fmt: skip


def test_the_entry_records_the_client_address_forwarded_by_a_trusted_proxy(
    world: World, dossier: Dossier, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = 1
    browser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    browser.force_login(world.of_user)
    url = reverse("certificates:enter", args=[dossier.number, MARCH.year, MARCH.month])
    browser.post(url, ENTRY)
    assert Certificate.objects.get().entered_ip == "203.0.113.7"
    assert AuditEvent.objects.get(action="hours.entered").ip == "203.0.113.7"
