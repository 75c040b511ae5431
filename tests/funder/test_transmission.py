"""« Transmission des heures »: ready months, immutable batches, at most once per month."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from realisa.audit.log import first_broken_event
from realisa.certificates.models import Certificate
from realisa.choices import CertificationMethod, MonthStatus
from realisa.funder.models import Immutable, Transmission, TransmissionLine, TransmittedMonth
from realisa.funder.transmission import (
    TransmissionRefused,
    create_transmission,
    ready_certificates,
)
from tests.conftest import World
from tests.factories import CertificateFactory
from tests.funder.conftest import APRIL, FEBRUARY, JANUARY, MARCH, certified, validated


def test_ready_months_are_paper_certified_or_validated(world: World) -> None:
    paper = certified(world.dossier, JANUARY)
    online_validated = validated(world.dossier, FEBRUARY)
    certified(world.dossier, MARCH, certification_method=CertificationMethod.ONLINE)
    CertificateFactory(dossier=world.dossier, month=APRIL)  # entered only
    assert set(ready_certificates()) == {paper, online_validated}


def test_a_transmission_moves_its_months_to_transmitted(world: World) -> None:
    months = [certified(world.dossier, JANUARY), validated(world.dossier, FEBRUARY)]
    transmission, created = create_transmission([c.pk for c in months], actor=world.agent)
    assert created and transmission.line_count == 2
    for month in months:
        month.refresh_from_db()
        assert month.status == MonthStatus.TRANSMITTED
        assert month.transmitted_at == transmission.created_at
    assert first_broken_event() is None


def test_the_csv_is_for_french_excel_and_its_hash_is_kept(world: World) -> None:
    month = certified(world.dossier, JANUARY, centre_minutes=100 * 60 + 30, absence_minutes=90)
    transmission, _ = create_transmission([month.pk], actor=world.agent)
    data = bytes(transmission.csv_data)
    assert data.startswith("\ufeff".encode())
    assert hashlib.sha256(data).hexdigest() == transmission.csv_sha256
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Dossier", "Bénéficiaire", "Organisme", "SIRET", "Mois"]
    organisation = world.dossier.organisation
    assert rows[1][:9] == [
        world.dossier.number,
        world.dossier.beneficiary.full_name,
        organisation.name,
        organisation.siret,
        "01/2026",
        "100,50",
        "0,00",
        "1,50",
        "Certification 1",
    ]


def test_the_json_lists_minutes_and_iso_times(world: World) -> None:
    month = certified(world.dossier, JANUARY)
    transmission, _ = create_transmission([month.pk], actor=world.agent)
    data = bytes(transmission.json_data)
    assert hashlib.sha256(data).hexdigest() == transmission.json_sha256
    line = json.loads(data)["months"][0]
    assert line["month"] == "2026-01" and line["centre_minutes"] == month.centre_minutes
    assert line["organisation"]["siret"] == world.dossier.organisation.siret
    assert line["certified_at"] == month.certified_at.isoformat()


def test_creating_the_same_batch_twice_never_duplicates(world: World) -> None:
    ids = [certified(world.dossier, JANUARY).pk, certified(world.dossier, FEBRUARY).pk]
    first, created = create_transmission(ids, actor=world.agent)
    again, created_again = create_transmission(list(reversed(ids)), actor=world.agent)
    assert created and not created_again and again == first
    assert Transmission.objects.count() == 1 and TransmissionLine.objects.count() == 2


def test_a_month_already_transmitted_is_refused_in_another_batch(world: World) -> None:
    january = certified(world.dossier, JANUARY)
    february = certified(world.dossier, FEBRUARY)
    create_transmission([january.pk], actor=world.agent)
    with pytest.raises(TransmissionRefused, match="déjà été transmis"):
        create_transmission([january.pk, february.pk], actor=world.agent)
    february.refresh_from_db()
    assert february.status == MonthStatus.CERTIFIED
    assert Transmission.objects.count() == 1


def test_the_database_refuses_a_month_in_two_batches(world: World) -> None:
    month = certified(world.dossier, JANUARY)
    transmission, _ = create_transmission([month.pk], actor=world.agent)
    other = Transmission.objects.create(
        key="x" * 64, line_count=1, csv_data=b"", csv_sha256="", json_data=b"", json_sha256=""
    )
    line = TransmissionLine.objects.create(
        transmission=other,
        certificate=month,
        reference="autre",
        centre_minutes=0,
        internship_minutes=0,
        absence_minutes=0,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TransmittedMonth.objects.create(certificate=month, line=line)
    assert TransmittedMonth.objects.get(certificate=month).line.transmission == transmission


def test_a_month_not_ready_is_refused(world: World) -> None:
    entered = CertificateFactory(dossier=world.dossier, month=JANUARY)
    with pytest.raises(TransmissionRefused, match="pas prêts"):
        create_transmission([entered.pk], actor=world.agent)
    with pytest.raises(TransmissionRefused, match="au moins un mois"):
        create_transmission([], actor=world.agent)


def test_a_transmission_cannot_be_changed(world: World) -> None:
    transmission, _ = create_transmission([certified(world.dossier, JANUARY).pk], actor=world.agent)
    with pytest.raises(Immutable):
        transmission.save()
    with pytest.raises(Immutable):
        Transmission.objects.all().delete()
    with pytest.raises(Immutable):
        TransmissionLine.objects.update(transmission=transmission)


def test_the_agent_transmits_from_the_page_and_downloads_the_csv(
    world: World, agent_client: Client
) -> None:
    month = certified(world.dossier, JANUARY)
    page = unescape(agent_client.get(reverse("funder:transmissions")).content.decode())
    assert "1 mois prêt à transmettre" in page
    response = agent_client.post(
        reverse("funder:transmission_create"), {"certificat": [month.pk]}, follow=True
    )
    transmission = Transmission.objects.get()
    assert f"{transmission} créée : 1 mois transmis." in unescape(response.content.decode())
    download = agent_client.get(reverse("funder:transmission_csv", args=[transmission.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == bytes(transmission.csv_data)
    again = agent_client.post(
        reverse("funder:transmission_create"), {"certificat": [month.pk]}, follow=True
    )
    assert "Ces mois ont déjà été transmis" in unescape(again.content.decode())
    assert Transmission.objects.count() == 1


def test_the_organisation_sees_transmitted(world: World) -> None:
    month = certified(world.dossier, JANUARY)
    create_transmission([month.pk], actor=world.agent)
    client = Client()
    client.force_login(world.of_user)
    url = reverse("certificates:dossier", args=[world.dossier.number])
    assert (
        '<span class="status status-transmitted">Transmis</span>'
        in client.get(url).content.decode()
    )
    assert Certificate.objects.get(pk=month.pk).is_shared
