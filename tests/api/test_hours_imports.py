"""``POST /hours/imports``: the hours import's rows as JSON, all entered or none, one result
per row, and a retry with the same key answers the same and writes nothing more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from tests.api.conftest import ApiClient
from tests.conftest import World

HOUR = 60


def row(world: World, month: str = "2026-04", centre: str = "70", **fields: Any) -> dict[str, Any]:
    return {"dossier": world.dossier.number, "month": month, "centre": centre,
            "internship": "0", "absence": "7", **fields}  # fmt: skip


def body(*rows: dict[str, Any], key: str = "gestion-2026-04-1") -> dict[str, Any]:
    return {"key": key, "certifies_entry": True, "accepts_ip_use": True, "rows": list(rows)}


def test_the_rows_are_entered_and_each_gets_its_result(
    api: Callable[[str], ApiClient], world: World
) -> None:
    answer = api("of_user").json("post", "/hours/imports", body(row(world), row(world, "2026-05")))
    assert answer.status_code == 200
    data = answer.json()
    assert data["imported"] is True and len(data["sha256"]) == 64
    assert [(r["row"], r["month"], r["outcome"]) for r in data["results"]] == [
        (1, "2026-04", "entered"),
        (2, "2026-05", "entered"),
    ]
    april = Certificate.objects.get(dossier=world.dossier, month__month=4)
    assert april.centre_minutes == 70 * HOUR and april.entered_by == world.of_user
    event = AuditEvent.objects.filter(action="hours.entered").latest("id")
    assert event.payload["import_sha256"] == data["sha256"]


def test_one_refused_row_holds_back_the_others(
    api: Callable[[str], ApiClient], world: World
) -> None:
    rows = (row(world), row(world, "2026-05", centre="7h75"), row(world, "2026-12"))
    data = api("of_user").json("post", "/hours/imports", body(*rows)).json()
    assert data["imported"] is False
    first, second, third = data["results"]
    assert first["outcome"] == "held_back" and not first["errors"]
    assert second["outcome"] == "refused"
    assert second["errors"] == [
        "heures en centre : « 7h75 » : les minutes vont de 0 à 59. Saisissez une durée comme "
        "7, 7,5, 7h30 ou 7:30."
    ]
    assert third["errors"] == [
        "Décembre 2026 ne fait pas partie de la formation (du 12/01/2026 au 19/06/2026)."
    ]
    assert not Certificate.objects.filter(dossier=world.dossier).exists()


def test_a_retry_with_the_same_key_answers_the_same_and_writes_nothing(
    api: Callable[[str], ApiClient], world: World
) -> None:
    client = api("of_user")
    first = client.json("post", "/hours/imports", body(row(world))).json()
    april = Certificate.objects.get(dossier=world.dossier, month__month=4)
    april.centre_minutes = 10 * HOUR  # changed since (another person, the window)
    april.save(update_fields=["centre_minutes"])
    again = client.json("post", "/hours/imports", body(row(world)))
    assert again.status_code == 200 and again.json() == first
    april.refresh_from_db()
    assert april.centre_minutes == 10 * HOUR and april.version == 1
    assert AuditEvent.objects.filter(action="hours.entered").count() == 1


def test_a_key_sent_again_with_other_rows_is_refused(
    api: Callable[[str], ApiClient], world: World
) -> None:
    client = api("of_user")
    client.json("post", "/hours/imports", body(row(world)))
    refused = client.json("post", "/hours/imports", body(row(world, centre="71")))
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Cette clé a déjà servi")
    # The key is the person's own: another member may use the same one.
    other = api("of_admin").json("post", "/hours/imports", body(row(world, centre="71")))
    assert other.status_code == 200 and other.json()["imported"] is True


def test_daily_rows_and_mixed_rows(api: Callable[[str], ApiClient], world: World) -> None:
    client = api("of_user")
    days = [
        {"dossier": world.dossier.number, "date": "2026-04-01", "centre": "7"},
        {"dossier": world.dossier.number, "date": "2026-04-02", "centre": "3h30", "absence": "3,5"},
    ]
    data = client.json("post", "/hours/imports", body(*days, key="jours")).json()
    assert data["imported"] and [r["month"] for r in data["results"]] == ["2026-04", "2026-04"]
    april = Certificate.objects.get(dossier=world.dossier, month__month=4)
    assert (april.centre_minutes, april.absence_minutes) == (10 * HOUR + 30, 3 * HOUR + 30)
    mixed = client.json("post", "/hours/imports", body(days[0], row(world), key="mêlées"))
    assert mixed.status_code == 422 and mixed.json()["type"].endswith("lignes-melangees")
