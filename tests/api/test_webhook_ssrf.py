"""A webhook cannot reach the inside: no redirect is followed, and a delivery connects to
the address that was checked, whatever the name answers a moment later."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from realisa.certificates.models import Certificate
from realisa.webhooks.models import Webhook, WebhookDelivery
from realisa.webhooks.outbox import emit
from realisa.webhooks.sending import deliver
from tests.api.conftest import ApiClient
from tests.api.receivers import Receiver
from tests.conftest import World

SECRET = "un-secret-bien-long-pour-signer"
PUBLIC = "8.8.8.8"  # a public address: checked, then refused by the tests' socket guard
Api = Callable[[str | None], ApiClient]


@pytest.fixture
def inside() -> Iterator[Receiver]:
    """A server on the inside that no webhook may reach (an admin page, a database…)."""
    server = Receiver(status=200)
    server.start()
    yield server
    server.stop()


def delivered_once(world: World, url: str, certificate: Certificate) -> WebhookDelivery:
    """Register ``url`` for the organisation, emit one event and try to deliver it once."""
    Webhook.objects.create(
        organisation=world.dossier.organisation,
        url=url,
        secret=SECRET,
        events=["certificate.entered"],
        created_by=world.of_admin,
    )
    [delivery] = emit("certificate.entered", certificate)
    deliver(delivery.pk)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_the_delivery_fails(
    world: World,
    api: Api,
    months: dict[str, Certificate],
    settings: Any,
    inside: Receiver,
    code: int,
) -> None:
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    redirecting = Receiver(status=code, headers={"Location": inside.url})
    redirecting.start()
    try:
        delivery = delivered_once(world, redirecting.url, months["entered"])
    finally:
        redirecting.stop()
    assert redirecting.methods == ["POST"]
    assert inside.received == []  # the internal server heard nothing
    rows = api("of_admin").get(f"/webhooks/{delivery.webhook_id}/deliveries").json()
    [row] = rows
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, code)
    assert row["last_error"] == f"HTTP {code} : redirection non suivie"
    assert row["delivered_at"] is None


def test_dns_rebinding_reaches_only_the_checked_address(
    world: World,
    months: dict[str, Certificate],
    settings: Any,
    inside: Receiver,
    dns: dict[str, list[list[str]]],
    connections: list[tuple[str, int]],
) -> None:
    """The name answers a public address when it is checked, then 127.0.0.1."""
    settings.WEBHOOK_TIMEOUT = 2
    dns["rebind.example"] = [[PUBLIC], ["127.0.0.1"]]
    delivery = delivered_once(
        world, f"https://rebind.example:{inside.port}/hook", months["entered"]
    )
    assert connections == [(PUBLIC, inside.port)]  # the checked address, never the second
    assert inside.received == []
    assert (delivery.status, delivery.delivered_at) == ("pending", None)


def test_a_name_answering_one_inside_address_among_public_ones_is_refused(
    world: World,
    months: dict[str, Certificate],
    dns: dict[str, list[list[str]]],
    connections: list[tuple[str, int]],
) -> None:
    dns["mixed.example"] = [[PUBLIC, "169.254.169.254"]]
    delivery = delivered_once(world, "https://mixed.example/hook", months["entered"])
    assert connections == []
    assert delivery.last_error == (
        "L'adresse mixed.example mène à 169.254.169.254, un service de métadonnées du nuage"
        " : envoi refusé."
    )


@pytest.mark.parametrize("answer", ["127.0.0.1", "::ffff:127.0.0.1", "10.0.0.7", "fd00::1"])
def test_a_name_that_leads_inside_is_refused_before_any_connection(
    world: World,
    months: dict[str, Certificate],
    dns: dict[str, list[list[str]]],
    connections: list[tuple[str, int]],
    answer: str,
) -> None:
    dns["inside.example"] = [[answer]]
    delivery = delivered_once(world, "https://inside.example/hook", months["entered"])
    assert connections == []
    assert delivery.status == "pending" and "envoi refusé" in delivery.last_error


def test_a_delivery_keeps_the_name_in_its_host_header(
    world: World,
    months: dict[str, Certificate],
    receiver: Receiver,
    dns: dict[str, list[list[str]]],
    connections: list[tuple[str, int]],
) -> None:
    dns["localhost"] = [["127.0.0.1"]]
    delivery = delivered_once(world, f"http://localhost:{receiver.port}/hook", months["entered"])
    assert delivery.status == "delivered"
    assert connections == [("127.0.0.1", receiver.port)]
    [(headers, _)] = receiver.received
    assert headers["Host"] == f"localhost:{receiver.port}"
