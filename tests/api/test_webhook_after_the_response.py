"""A webhook receiver is reached after the response, never during the request whose change
it reports: a receiver that hangs cannot hold the API call."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from realisa.certificates.models import Certificate
from realisa.webhooks.models import Webhook, WebhookDelivery
from tests.api.conftest import MARCH, ApiClient
from tests.api.receivers import Receiver
from tests.conftest import World, run_background_jobs


@pytest.mark.django_db(transaction=True)
def test_certifying_reaches_the_receiver_only_after_the_response(
    world: World,
    api: Callable[[str | None], ApiClient],
    months: dict[str, Certificate],
    receiver: Receiver,
    connections: list[tuple[str, int]],
) -> None:
    Webhook.objects.create(
        organisation=world.dossier.organisation,
        url=receiver.url,
        secret="un-secret-bien-long-pour-signer",
        events=["certificate.certified"],
        created_by=world.of_admin,
    )
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}/certify-paper"

    assert api("of_user").json("post", path).status_code == 200

    assert ("127.0.0.1", receiver.port) not in connections  # not during the request
    assert WebhookDelivery.objects.get().status == "pending"
    run_background_jobs()
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == "delivered"
