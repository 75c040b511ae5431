"""Webhooks through the outbox, to a receiver on the loopback interface only."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from realisa.celery import JOBS
from realisa.certificates.models import Certificate
from realisa.webhooks.models import Webhook, WebhookDelivery
from realisa.webhooks.outbox import EVENTS, emit
from realisa.webhooks.sending import MAX_ATTEMPTS, deliver, send_due
from tests.api.conftest import MARCH, ApiClient
from tests.api.receivers import Receiver
from tests.conftest import World, run_background_jobs

SECRET = "un-secret-bien-long-pour-signer"
Api = Callable[[str | None], ApiClient]


def register(world: World, url: str, *events: str) -> Webhook:
    return Webhook.objects.create(
        organisation=world.dossier.organisation,
        url=url,
        secret=SECRET,
        events=list(events or EVENTS),
        created_by=world.of_admin,
    )


def verifies(headers: dict[str, str], body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["Realisa-Signature"].split(","))
    expected = hmac.new(SECRET.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(parts["v1"], expected.hexdigest())


def test_certifying_delivers_the_event_once_with_a_valid_signature(
    world: World,
    api: Api,
    months: dict[str, Certificate],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    register(world, receiver.url, "certificate.certified")
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}/certify-paper"
    with django_capture_on_commit_callbacks(execute=True):
        assert api("of_user").json("post", path).status_code == 200
    run_background_jobs()  # the delivery, after the response
    assert send_due() == 0  # nothing left: it was delivered once
    [(headers, body)] = receiver.received
    event = json.loads(body)
    assert event["event"] == "certificate.certified" and headers["Realisa-Event"] == event["event"]
    assert event["certificate"]["id"] == months["entered"].pk
    assert event["certificate"]["status"] == "certified"
    assert verifies(headers, body)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)


def test_a_delivery_is_retried_with_backoff_after_the_receiver_was_down(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    down = Receiver()  # bound to a port, then closed: nobody listens there
    url = down.url
    down.server.server_close()
    register(world, url, "certificate.entered")
    certificate = months_entered(world, django_capture_on_commit_callbacks)
    run_background_jobs()  # the first try, after the response: refused
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error and delivery.next_attempt_at > timezone.now()
    assert send_due() == 0  # not due yet: backoff

    up = Receiver(down.port)  # the receiver is back, on the same address
    up.start()
    try:
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            assert send_due() == 1
    finally:
        up.stop()
    [(headers, body)] = up.received
    assert json.loads(body)["certificate"]["id"] == certificate.pk and verifies(headers, body)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")


def months_entered(world: World, capture: Any) -> Certificate:
    from realisa.certificates.entry import HoursEntry, enter_hours
    from realisa.certificates.rules import Hours

    with capture(execute=True):
        result = enter_hours(
            world.dossier,
            timezone.localdate().replace(year=2026, month=4, day=1),
            actor=world.of_user,
            entry=HoursEntry(hours=Hours(centre=70 * 60), certifies_entry=True),
            expected_version=0,
        )
    return result.certificate


def test_an_organisation_webhook_hears_only_of_its_own_dossiers(
    world: World, months: dict[str, Certificate]
) -> None:
    register(world, "https://logiciel.example/hook")
    other = Webhook.objects.create(
        organisation=world.other_dossier.organisation,
        url="https://autre.example/hook",
        secret=SECRET,
        events=list(EVENTS),
    )
    funder = Webhook.objects.create(
        url="https://paiement.example/hook", secret=SECRET, events=list(EVENTS)
    )
    emit("certificate.entered", months["entered"])
    assert not other.deliveries.exists()
    assert funder.deliveries.count() == 1


def test_webhooks_go_to_https_only(world: World, api: Api) -> None:
    response = api("of_admin").json(
        "post",
        "/webhooks",
        {
            "url": "http://logiciel.example/hook",
            "secret": SECRET,
            "events": ["certificate.entered"],
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "L'adresse d'un webhook doit commencer par https://."


def test_a_private_address_is_refused_at_delivery(
    world: World, months: dict[str, Certificate]
) -> None:
    register(world, "https://10.0.0.1/hook", "certificate.entered")
    [delivery] = emit("certificate.entered", months["entered"])
    assert deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert "réseau privé" in delivery.last_error


def test_each_delivery_is_visible_with_its_last_status(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    webhook = register(world, "https://logiciel.example/hook")
    emit("certificate.entered", months["entered"])
    rows = api("of_admin").get(f"/webhooks/{webhook.pk}/deliveries").json()
    assert [(r["event"], r["status"], r["attempts"]) for r in rows] == [
        ("certificate.entered", "pending", 0)
    ]


def test_a_delivery_is_given_up_after_its_last_attempt(
    world: World, months: dict[str, Certificate]
) -> None:
    register(world, "https://10.0.0.1/hook", "certificate.entered")
    [delivery] = emit("certificate.entered", months["entered"])
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert send_due(now=timezone.now() + timedelta(days=1)) == 0  # never tried again


def test_the_due_webhooks_are_sent_every_minute() -> None:
    [job] = [job for job in JOBS if job.command == "send_webhooks"]
    assert job.cron == "* * * * *"
