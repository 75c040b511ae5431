"""A transmitted month, reopened and certified again, is transmitted as a correction line:
the new hours, the difference with the line it corrects and that line's reference."""

from __future__ import annotations

import csv
import io
import json
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.certification import certify_paper, replace_signed_scan
from realisa.certificates.entry import HoursEntry, enter_hours
from realisa.certificates.models import Certificate
from realisa.certificates.reopening import reopen
from realisa.certificates.rules import Hours
from realisa.choices import MonthStatus
from realisa.demo.files import one_page_pdf
from realisa.funder.models import Transmission, TransmissionLine, TransmittedMonth
from realisa.funder.transmission import (
    TransmissionRefused,
    cancel_transmission,
    create_transmission,
    record_download,
)
from realisa.webhooks.models import Webhook, WebhookDelivery
from tests.api.conftest import raw_token
from tests.conftest import World
from tests.funder.conftest import FEBRUARY, JANUARY, MARCH, certified

HOUR = 60
FIRST = {"centre_minutes": 100 * HOUR, "internship_minutes": 20 * HOUR, "absence_minutes": 0}
# Re-entered after the reopening: 10 h less in centre, 7 h 30 more in internship, 2 h absent.
AGAIN = Hours(centre=90 * HOUR, internship=27 * HOUR + 30, absence=2 * HOUR)
DELTA = {"centre_minutes": -10 * HOUR, "internship_minutes": 7 * HOUR + 30, "absence_minutes": 120}


def transmit(*months: Certificate, world: World, final: bool = True) -> Transmission:
    """A batch of ``months``; ``final``: its file taken, as the payment system does."""
    transmission, created = create_transmission([m.pk for m in months], actor=world.agent)
    assert created
    if final:
        record_download(transmission, kind="json", via="api", actor=world.agent)
    return transmission


def correct(month: Certificate, world: World, hours: Hours = AGAIN) -> Certificate:
    """Reopen the month, enter ``hours`` again and certify them on paper: ready again."""
    reopen(month, actor=world.agent, reason="Heures de stage oubliées")
    month.refresh_from_db()
    entry = HoursEntry(hours=hours, certifies_entry=True)
    enter_hours(
        month.dossier, month.month, actor=world.of_user, entry=entry, expected_version=month.version
    )
    scan = SimpleUploadedFile("scan.pdf", one_page_pdf("Signé à nouveau"), "application/pdf")
    replace_signed_scan(month, scan, actor=world.of_user, request=None)
    month.refresh_from_db()
    certify_paper(month, actor=world.of_user, request=None)
    month.refresh_from_db()
    assert month.status == MonthStatus.CERTIFIED
    return month


def csv_rows(transmission: Transmission) -> list[dict[str, str]]:
    text = bytes(transmission.csv_data).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def json_lines(transmission: Transmission) -> list[dict[str, Any]]:
    return json.loads(bytes(transmission.json_data))["months"]  # type: ignore[no-any-return]


def test_a_month_transmitted_for_the_first_time_is_initial(world: World) -> None:
    transmission = transmit(certified(world.dossier, FEBRUARY, **FIRST), world=world)
    reference = f"{world.dossier.number}/2026-02/1"
    [row] = csv_rows(transmission)
    assert (row["Ligne"], row["Type"], row["Ligne corrigée"], row["Écart en centre"]) == (
        reference,
        "Initiale",
        "",
        "",
    )
    [line] = json_lines(transmission)
    assert line["line"] == reference and line["type"] == "initial"
    assert line["corrects"] is None and line["delta"] is None
    assert line["centre_minutes"] == 100 * HOUR
    stored = TransmissionLine.objects.get()
    assert (stored.reference, stored.centre_minutes, stored.internship_minutes) == (
        reference,
        100 * HOUR,
        20 * HOUR,
    )


def test_the_next_transmission_of_a_corrected_month_is_a_correction_line(world: World) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    first = transmit(month, world=world)
    correct(month, world)
    second = transmit(month, world=world)
    assert second.attempt == 1  # the same month, so the same key: a new batch all the same
    [row] = csv_rows(second)
    assert row["Type"] == "Correction" and row["Ligne"] == f"{world.dossier.number}/2026-02/2"
    assert row["Transmission corrigée"] == str(first.pk)
    assert row["Ligne corrigée"] == f"{world.dossier.number}/2026-02/1"
    assert (row["Heures en centre"], row["Heures en stage"], row["Heures d'absence"]) == (
        "90,00",
        "27,50",
        "2,00",
    )
    assert (row["Écart en centre"], row["Écart en stage"], row["Écart d'absence"]) == (
        "-10,00",
        "7,50",
        "2,00",
    )
    [line] = json_lines(second)
    assert line["type"] == "correction" and line["delta"] == DELTA
    assert line["corrects"] == {
        "transmission_id": first.pk,
        "line": f"{world.dossier.number}/2026-02/1",
    }
    [earlier] = json_lines(first)  # the first file is as it was sent
    assert earlier["centre_minutes"] == 100 * HOUR and earlier["type"] == "initial"


def test_the_difference_reads_the_stored_lines_not_the_certificate(world: World) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    transmit(month, world=world)
    correct(month, world)
    second = transmit(month, world=world)
    Certificate.objects.filter(pk=month.pk).update(centre_minutes=1)  # what no step does
    line = TransmissionLine.objects.get(transmission=second)
    assert line.delta == DELTA and line.centre_minutes == 90 * HOUR


def test_the_journal_says_which_months_were_corrections(world: World) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    other = certified(world.dossier, JANUARY)
    first = transmit(month, world=world)
    correct(month, world)
    second = transmit(month, other, world=world)
    batch = AuditEvent.objects.filter(action="transmission.created").latest("id")
    assert batch.object_id == str(second.pk)
    [correction] = batch.payload["corrections"]
    assert correction["certificate"] == month.pk and correction["type"] == "correction"
    assert correction["corrects"] == {
        "transmission_id": first.pk,
        "line": f"{world.dossier.number}/2026-02/1",
    }
    sent = AuditEvent.objects.filter(action="certificate.transmitted", object_id=str(month.pk))
    assert [e.payload["type"] for e in sent.order_by("id")] == ["initial", "correction"]
    assert sent.latest("id").payload["delta"] == DELTA
    first_event = AuditEvent.objects.filter(action="transmission.created").earliest("id")
    assert first_event.payload["corrections"] == []


def test_a_correction_never_refers_to_a_cancelled_transmission(world: World) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    first = transmit(month, world=world)
    correct(month, world)
    mistaken = transmit(month, world=world, final=False)
    cancel_transmission(mistaken, actor=world.agent, reason="Lot fait trop tôt")
    month.refresh_from_db()
    assert month.status == MonthStatus.CERTIFIED
    assert TransmittedMonth.objects.get(certificate=month).line.transmission == first
    third = transmit(month, world=world)
    [line] = json_lines(third)
    assert line["type"] == "correction" and line["line"].endswith("/3")
    assert line["corrects"]["transmission_id"] == first.pk and line["delta"] == DELTA


def test_a_month_whose_only_transmission_was_cancelled_is_sent_as_new(world: World) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    mistaken = transmit(month, world=world, final=False)
    cancel_transmission(mistaken, actor=world.agent, reason="Erreur")
    again = transmit(month, world=world)
    [line] = json_lines(again)
    assert line["type"] == "initial" and line["corrects"] is None
    assert line["line"] == f"{world.dossier.number}/2026-02/2"  # the cancelled one keeps /1


def test_a_batch_whose_month_was_reopened_can_no_longer_be_cancelled(world: World) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    batch = transmit(month, certified(world.dossier, JANUARY), world=world, final=False)
    reopen(month, actor=world.agent, reason="Heures à revoir")
    with pytest.raises(TransmissionRefused, match="rouvert depuis pour être corrigé"):
        cancel_transmission(batch, actor=world.agent, reason="Erreur")
    assert not hasattr(Transmission.objects.get(pk=batch.pk), "cancellation")


def test_the_pages_show_the_correction(world: World, agent_client: Client) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    first = transmit(month, world=world)
    correct(month, world)
    ready = unescape(agent_client.get(reverse("funder:transmissions")).text)
    assert '<span class="status status-correction">Correction</span>' in ready
    confirm = agent_client.get(reverse("funder:transmission_confirm"), {"certificat": month.pk})
    assert "1 mois déjà transmis puis rouverts" in unescape(confirm.text)
    second = transmit(month, world=world)
    page = unescape(agent_client.get(reverse("funder:transmission", args=[second.pk])).text)
    assert "dont 1 en correction d'une transmission précédente" in page
    assert f"de la ligne {world.dossier.number}/2026-02/1" in page
    assert f"transmission n° {first.pk}" in page
    assert "en centre -10 h, en stage +7 h 30, absences +2 h" in page
    assert "90 h" in page  # the hours sent, not the certificate's


def test_the_reopening_page_tells_about_the_correction(world: World, agent_client: Client) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    transmit(month, world=world)
    url = reverse("funder:reopen", args=[world.dossier.number, 2026, 2])
    page = unescape(agent_client.get(url).text)
    assert "sa ligne sera une correction de la ligne déjà transmise" in page
    agent_client.post(url, {"reason": "Heures de stage oubliées"})
    month.refresh_from_db()
    assert month.status == MonthStatus.ENTERED


def test_the_api_shows_the_correction_line(world: World) -> None:
    month = certified(world.dossier, FEBRUARY, **FIRST)
    first = transmit(month, world=world)
    correct(month, world)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token(world.agent)}")
    created = client.post(
        "/api/v1/funder/transmissions",
        {"certificate_ids": [month.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201
    [line] = created.json()["lines"]
    assert line["type"] == "correction" and line["delta"] == DELTA
    assert line["corrects"] == {
        "transmission_id": first.pk,
        "line": f"{world.dossier.number}/2026-02/1",
    }
    assert (line["dossier"], line["month"], line["centre_minutes"]) == (
        world.dossier.number,
        "2026-02",
        90 * HOUR,
    )
    listed = {t["id"]: t for t in client.get("/api/v1/funder/transmissions").json()}
    assert listed[created.json()["id"]]["lines"] == [line]
    [initial] = listed[first.pk]["lines"]
    assert initial["type"] == "initial" and initial["corrects"] is None
    assert initial["centre_minutes"] == 100 * HOUR


def test_the_webhook_tells_the_correction(world: World) -> None:
    events = ["certificate.transmitted"]
    Webhook.objects.create(url="https://paiement.example/hook", secret="s" * 32, events=events)
    month = certified(world.dossier, FEBRUARY, **FIRST)
    first = transmit(month, world=world)
    correct(month, world)
    second = transmit(month, world=world)
    sent, corrected = WebhookDelivery.objects.order_by("id")
    assert sent.payload["transmission"]["type"] == "initial"
    assert corrected.payload["transmission"] == {
        "id": second.pk,
        "line": f"{world.dossier.number}/2026-02/2",
        "type": "correction",
        "corrects": {"transmission_id": first.pk, "line": f"{world.dossier.number}/2026-02/1"},
        "delta": DELTA,
    }
    assert corrected.payload["certificate"]["centre_minutes"] == 90 * HOUR


def test_the_api_lists_the_lines_in_the_same_queries_for_one_or_many(world: World) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token(world.agent)}")
    month = certified(world.dossier, FEBRUARY, **FIRST)
    transmit(month, world=world)
    correct(month, world)
    transmit(month, world=world)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/funder/transmissions")
    transmit(certified(world.dossier, JANUARY), certified(world.other_dossier, MARCH), world=world)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/api/v1/funder/transmissions")
    assert len(response.json()) == 3
    assert funder_queries(more) == funder_queries(few) == 2  # the batches, their lines


def funder_queries(context: CaptureQueriesContext) -> int:
    """The queries of the transmissions, the token's and rate limit's aside."""
    return sum(1 for query in context.captured_queries if "funder_" in query["sql"])
