"""A webhook's secret is stored encrypted: a copy of the database does not give it away,
and deliveries are still signed with it."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from realisa.certificates.models import Certificate
from realisa.webhooks.cipher import Unreadable
from realisa.webhooks.models import Webhook, WebhookDelivery
from realisa.webhooks.outbox import emit
from realisa.webhooks.sending import deliver
from tests.api.conftest import ApiClient
from tests.api.receivers import Receiver
from tests.conftest import World

SECRET = "un-secret-bien-long-pour-signer"
OLD_KEY = "ancienne-cle-" + "a" * 40
NEW_KEY = "nouvelle-cle-" + "b" * 40
BEFORE = [("webhooks", "0001_initial")]  # the secrets stored as typed
Api = Callable[[str | None], ApiClient]


def stored_values() -> list[str]:
    """Every value of every webhook row, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_webhook")
        return [str(value) for row in cursor.fetchall() for value in row]


def verifies(headers: dict[str, str], body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["Realisa-Signature"].split(","))
    expected = hmac.new(SECRET.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(parts["v1"], expected.hexdigest())


def registered(api: Api, url: str) -> Any:
    body = {"url": url, "secret": SECRET, "events": ["certificate.entered"]}
    return api("of_admin").json("post", "/webhooks", body)


def test_the_database_never_holds_the_secret_in_clear(world: World, api: Api) -> None:
    response = registered(api, "https://logiciel.example/hook")
    assert response.status_code == 201 and "secret" not in response.json()
    assert stored_values() and not any(SECRET in value for value in stored_values())
    assert Webhook.objects.get().secret == SECRET


def test_a_delivery_is_signed_with_the_decrypted_secret(
    world: World, api: Api, months: dict[str, Certificate], receiver: Receiver
) -> None:
    assert registered(api, receiver.url).status_code == 201
    [delivery] = emit("certificate.entered", months["entered"])
    assert deliver(delivery.pk) is True
    [(headers, body)] = receiver.received
    assert verifies(headers, body)


def test_a_new_key_still_reads_the_secrets_of_the_previous_ones(db: None, settings: Any) -> None:
    settings.WEBHOOK_SECRET_KEY = ""
    Webhook.objects.create(url="https://un.example/hook", secret=SECRET)  # from SECRET_KEY
    settings.WEBHOOK_SECRET_KEY = OLD_KEY
    Webhook.objects.create(url="https://deux.example/hook", secret=SECRET)
    settings.WEBHOOK_SECRET_KEY = f"{NEW_KEY},{OLD_KEY}"  # the new key first
    Webhook.objects.create(url="https://trois.example/hook", secret=SECRET)
    assert [w.secret for w in Webhook.objects.all()] == [SECRET] * 3


def test_a_secret_that_no_key_decrypts_fails_its_delivery_and_says_why(
    world: World, settings: Any, months: dict[str, Certificate]
) -> None:
    settings.WEBHOOK_SECRET_KEY = OLD_KEY
    Webhook.objects.create(
        organisation=world.dossier.organisation,
        url="https://logiciel.example/hook",
        secret=SECRET,
        events=["certificate.entered"],
    )
    settings.WEBHOOK_SECRET_KEY = NEW_KEY
    settings.SECRET_KEY = "une-autre-cle-django-" + "c" * 40
    with pytest.raises(Unreadable):
        Webhook.objects.get().secret  # noqa: B018
    [delivery] = emit("certificate.entered", months["entered"])
    assert deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "ne se déchiffre avec aucune clé" in delivery.last_error


@pytest.mark.parametrize(
    ("debug", "demo", "key", "warned"),
    [
        (False, False, "", True),
        (False, False, "une-cle-longue-et-aleatoire-" + "k" * 32, False),
        (True, False, "", False),
        (False, True, "", False),
    ],
)
def test_production_without_a_key_is_warned(
    settings: Any, debug: bool, demo: bool, key: str, warned: bool
) -> None:
    settings.DEBUG, settings.DEMO_MODE, settings.WEBHOOK_SECRET_KEY = debug, demo, key
    ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert ("webhooks.W001" in ids) is warned


def migrated(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> None:
    executor.migrate(targets)
    executor.loader.build_graph()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_secret_of_an_existing_webhook() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    migrated(executor, BEFORE)
    old = executor.loader.project_state(BEFORE[0]).apps.get_model("webhooks", "Webhook")
    pk = old.objects.create(url="https://logiciel.example/hook", secret=SECRET, events=[]).pk
    assert any(SECRET in value for value in stored_values())

    migrated(executor, latest)
    assert not any(SECRET in value for value in stored_values())
    assert Webhook.objects.get(pk=pk).secret == SECRET

    migrated(executor, BEFORE)  # and back: the secret in clear again
    assert old.objects.get(pk=pk).secret == SECRET
    migrated(executor, latest)
