"""Each transition emits its webhook event once, in its own transaction (the outbox)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from realisa.certificates.models import Certificate
from realisa.certificates.reopening import reopen
from realisa.certificates.validation import contest_hours, validate_hours
from realisa.choices import CertificationMethod, MonthStatus, VersionReason
from realisa.demo.files import one_page_pdf
from realisa.documents.services import generate_version
from realisa.webhooks.models import Webhook, WebhookDelivery
from realisa.webhooks.outbox import EVENTS
from tests.api.conftest import MARCH, ApiClient
from tests.conftest import World
from tests.factories import CertificateFactory

Api = Callable[[str | None], ApiClient]


@pytest.fixture
def funder_hook(db: None) -> Webhook:
    return Webhook.objects.create(
        url="https://paiement.example/hook", secret="s" * 32, events=list(EVENTS)
    )


def events() -> list[tuple[str, str]]:
    return [
        (d.event, d.payload["certificate"]["status"])
        for d in WebhookDelivery.objects.order_by("id")
    ]


def test_entering_and_certifying_emit_their_events(
    world: World, api: Api, funder_hook: Webhook
) -> None:
    path = f"/dossiers/{world.dossier.number}/months/2026-04"
    client = api("of_user")
    client.json("put", f"{path}/hours", {"centre": "70", "certifies_entry": True, "version": 0})
    client.upload(f"{path}/signed-scan", one_page_pdf("Scan"))
    client.json("post", f"{path}/certify-paper")
    assert events() == [
        ("certificate.entered", "entered"),
        ("certificate.certified", "certified"),
    ]


def test_a_refused_transition_emits_nothing(
    world: World, api: Api, months: dict[str, Certificate], funder_hook: Webhook
) -> None:
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}"
    api("of_user").json(
        "put", f"{path}/hours", {"centre": "x", "certifies_entry": True, "version": 1}
    )
    api("of_user").json("delete", f"{path}/signed-scan")
    api("of_user").json("post", f"{path}/certify-paper")
    assert events() == []


def test_transmitting_emits_transmitted(
    api: Api, months: dict[str, Certificate], funder_hook: Webhook
) -> None:
    body = {"certificate_ids": [months["certified"].pk]}
    api("agent").json("post", "/funder/transmissions", body)
    assert events() == [("certificate.transmitted", "transmitted")]


def online_certified(world: World, month: date) -> Certificate:
    certificate = CertificateFactory(
        dossier=world.dossier,
        month=month,
        certified=True,
        certification_method=CertificationMethod.ONLINE,
    )
    generate_version(certificate, reason=VersionReason.CERTIFICATION, actor=None)
    return certificate


def test_the_beneficiary_s_answers_emit_validated_and_contested(
    world: World, funder_hook: Webhook
) -> None:
    validate_hours(online_certified(world, date(2026, 5, 1)), actor=world.beneficiary, request=None)
    other = online_certified(world, date(2026, 6, 1))
    contest_hours(other, actor=world.beneficiary, comment="Il manque un jour.", request=None)
    assert events() == [
        ("certificate.validated", MonthStatus.VALIDATED),
        ("certificate.contested", MonthStatus.CONTESTED),
    ]


def test_reopening_emits_reopened(
    world: World, months: dict[str, Certificate], funder_hook: Webhook
) -> None:
    february = months["certified"]
    generate_version(february, reason=VersionReason.CERTIFICATION, actor=None)
    reopen(february, actor=world.agent, reason="Les heures de stage sont à revoir.")
    assert events() == [("certificate.reopened", MonthStatus.ENTERED)]
