"""A transmission made by mistake can be cancelled, with a reason, until its file has been
downloaded or fetched by the API; its months go back to their status, ready again."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.funder.models import Transmission, TransmissionLine, TransmittedMonth
from realisa.funder.transmission import (
    TransmissionRefused,
    cancel_transmission,
    create_transmission,
    ready_certificates,
)
from realisa.lib.errors import Invalid
from tests.api.conftest import raw_token
from tests.conftest import World
from tests.funder.conftest import FEBRUARY, JANUARY, certified, validated


@pytest.fixture
def batch(world: World) -> Transmission:
    months = [certified(world.dossier, JANUARY), validated(world.dossier, FEBRUARY)]
    transmission, _ = create_transmission([m.pk for m in months], actor=world.agent)
    return transmission


def test_cancelling_gives_the_months_back_their_status(world: World, batch: Transmission) -> None:
    cancel_transmission(batch, actor=world.agent, reason="Mauvais mois sélectionnés")
    statuses = dict(Certificate.objects.values_list("month", "status"))
    assert statuses == {JANUARY: MonthStatus.CERTIFIED, FEBRUARY: MonthStatus.VALIDATED}
    assert set(ready_certificates().values_list("month", flat=True)) == {JANUARY, FEBRUARY}
    assert TransmissionLine.objects.filter(transmission=batch).count() == 2  # kept
    assert not TransmittedMonth.objects.exists()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("certificate.transmission_cancelled") == 2
    event = AuditEvent.objects.get(action="transmission.cancelled")
    assert event.actor == world.agent
    assert event.payload == {"months": 2, "reason": "Mauvais mois sélectionnés"}


def test_the_same_months_can_be_transmitted_again(world: World, batch: Transmission) -> None:
    ids = list(batch.lines.values_list("certificate_id", flat=True))
    cancel_transmission(batch, actor=world.agent, reason="Erreur")
    again, created = create_transmission(ids, actor=world.agent)
    assert created and again.pk != batch.pk and again.attempt == 1
    assert set(Certificate.objects.values_list("status", flat=True)) == {MonthStatus.TRANSMITTED}
    same, created = create_transmission(ids, actor=world.agent)
    assert (same, created) == (again, False)


def test_a_downloaded_transmission_is_final(
    world: World, batch: Transmission, agent_client: Client
) -> None:
    agent_client.get(reverse("funder:transmission_csv", args=[batch.pk]))
    with pytest.raises(TransmissionRefused) as refused:
        cancel_transmission(batch, actor=world.agent, reason="Trop tard")
    assert "déjà été téléchargé ou récupéré par l'API : elle est définitive" in str(refused.value)
    assert set(Certificate.objects.values_list("status", flat=True)) == {MonthStatus.TRANSMITTED}
    page = unescape(agent_client.get(reverse("funder:transmission", args=[batch.pk])).text)
    assert "CSV le" in page and "(portail)" in page
    assert "Annuler la transmission" not in page


def test_a_transmission_fetched_by_the_api_is_final(world: World, batch: Transmission) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token(world.agent)}")
    response = client.get(f"/api/v1/funder/transmissions/{batch.pk}/json")
    assert response.status_code == 200
    with pytest.raises(TransmissionRefused):
        cancel_transmission(batch, actor=world.agent, reason="Trop tard")


def test_a_reason_is_required_and_twice_is_refused(world: World, batch: Transmission) -> None:
    with pytest.raises(Invalid):
        cancel_transmission(batch, actor=world.agent, reason="  ")
    cancel_transmission(batch, actor=world.agent, reason="Erreur")
    with pytest.raises(TransmissionRefused) as refused:
        cancel_transmission(batch, actor=world.agent, reason="Erreur")
    assert str(refused.value) == "Cette transmission est déjà annulée."


def test_the_database_refuses_a_month_in_two_live_batches(
    world: World, batch: Transmission
) -> None:
    line = batch.lines.first()
    assert line is not None
    other = TransmissionLine.objects.create(
        transmission=batch,
        certificate=line.certificate,
        reference="autre",
        centre_minutes=0,
        internship_minutes=0,
        absence_minutes=0,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TransmittedMonth.objects.create(certificate=line.certificate, line=other)


def test_the_agent_cancels_from_the_page(
    world: World, batch: Transmission, agent_client: Client
) -> None:
    url = reverse("funder:transmission", args=[batch.pk])
    page = unescape(agent_client.get(url).text)
    assert "Le fichier n'a pas encore été téléchargé ni récupéré par l'API." in page
    cancel = reverse("funder:transmission_cancel", args=[batch.pk])
    refused = agent_client.post(cancel, {"reason": ""})
    assert refused.status_code == 422
    assert "Indiquez le motif de l'annulation." in unescape(refused.text)
    done = agent_client.post(cancel, {"reason": "Doublon avec le lot de lundi"}, follow=True)
    text = unescape(done.text)
    assert f"{batch} annulée : ses 2 mois sont de nouveau prêts à transmettre." in text
    assert "Motif" not in text or "Doublon avec le lot de lundi" in text
    assert "Annuler la transmission" not in text.split("</h1>", 1)[1]


@pytest.mark.parametrize("name", ["of_admin", "beneficiary"])
def test_only_agents_cancel(world: World, batch: Transmission, client: Client, name: str) -> None:
    client.force_login(world.user(name))
    response = client.post(reverse("funder:transmission_cancel", args=[batch.pk]), {"reason": "x"})
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="transmission.cancelled").exists()


def test_the_api_says_a_batch_was_cancelled(world: World, batch: Transmission) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token(world.agent)}")
    (listed,) = client.get("/api/v1/funder/transmissions").json()
    assert listed["id"] == batch.pk and listed["cancelled_at"] is None
    cancel_transmission(batch, actor=world.agent, reason="Erreur")
    (listed,) = client.get("/api/v1/funder/transmissions").json()
    assert listed["cancelled_at"] is not None
