"""``funder.0004`` fills the lines written before corrections existed: the hours each
carried, read from its batch's JSON file (not from a certificate changed since), and the
reference of the month's n-th line."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from realisa.funder.models import TransmissionLine
from tests.factories import CertificateFactory

BEFORE = [("funder", "0002_transmission_cancellation")]


def batch(old_apps: object, key: str, number: str, minutes: int, certificate_id: int) -> None:
    """A batch as 0002 wrote it: its JSON file, and a line without hours."""
    month = {"dossier": number, "month": "2026-02", "centre_minutes": minutes}
    month |= {"internship_minutes": 60, "absence_minutes": 30}
    document = json.dumps({"created_at": "2026-03-01T10:00:00+01:00", "months": [month]})
    Transmission = old_apps.get_model("funder", "Transmission")  # type: ignore[attr-defined]
    Line = old_apps.get_model("funder", "TransmissionLine")  # type: ignore[attr-defined]
    transmission = Transmission.objects.create(
        key=key, line_count=1, csv_data=b"", csv_sha256="", json_data=document.encode()
    )
    Line.objects.create(transmission_id=transmission.pk, certificate_id=certificate_id)


@pytest.mark.django_db(transaction=True)
def test_the_lines_written_before_get_their_hours_and_reference() -> None:
    certificate = CertificateFactory(month="2026-02-01", certified=True, centre_minutes=1)
    number = certificate.dossier.number
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old_apps = executor.loader.project_state(BEFORE[0]).apps
    batch(old_apps, "a" * 64, number, 600, certificate.pk)  # cancelled since, say
    batch(old_apps, "b" * 64, number, 660, certificate.pk)
    executor.migrate(latest)
    first, second = TransmissionLine.objects.order_by("pk")
    assert (first.reference, first.centre_minutes) == (f"{number}/2026-02/1", 600)
    assert (second.reference, second.centre_minutes) == (f"{number}/2026-02/2", 660)
    assert (second.internship_minutes, second.absence_minutes) == (60, 30)
    assert second.corrects is None
