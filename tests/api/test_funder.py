"""For the funder's payment system: the feed by cursor, transmissions, payments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from tests.api.conftest import MARCH, ApiClient
from tests.conftest import World

Api = Callable[[str | None], ApiClient]


def test_the_feed_pages_by_cursor_and_misses_nothing(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    funder = api("agent")
    first = funder.get("/funder/months", after=0).json()
    assert first["items"] == [] and first["next_cursor"] == 0
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}/certify-paper"
    api("of_user").json("post", path)
    page = funder.get("/funder/months", after=first["next_cursor"], limit=1).json()
    [item] = page["items"]
    assert item["event"] == "certificate.certified" and item["month"]["month"] == MARCH
    assert item["month"]["status"] == "certified" and page["has_more"] is False
    again = funder.get("/funder/months", after=page["next_cursor"]).json()
    assert again["items"] == [] and again["next_cursor"] == page["next_cursor"]


def test_a_transmission_is_created_once_and_its_files_download(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    funder = api("agent")
    body = {"certificate_ids": [months["certified"].pk]}
    created = funder.json("post", "/funder/transmissions", body)
    assert created.status_code == 201
    assert funder.json("post", "/funder/transmissions", body).status_code == 200
    months["certified"].refresh_from_db()
    assert months["certified"].status == MonthStatus.TRANSMITTED
    transmission = created.json()
    assert [t["id"] for t in funder.get("/funder/transmissions").json()] == [transmission["id"]]
    csv = funder.get(f"/funder/transmissions/{transmission['id']}/csv")
    assert csv.status_code == 200 and world.dossier.number.encode() in csv.content


def test_a_month_not_ready_cannot_be_transmitted(api: Api, months: dict[str, Certificate]) -> None:
    response = api("agent").json(
        "post", "/funder/transmissions", {"certificate_ids": [months["entered"].pk]}
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Ces mois ne sont pas prêts à transmettre")


def test_a_payment_locks_entry_and_an_advance_does_not(world: World, api: Api) -> None:
    funder = api("agent")
    path = f"/funder/dossiers/{world.dossier.number}/payments"
    advance = {"period_start": "2026-05-01", "period_end": "2026-05-31", "amount": "500"}
    funder.json("post", path, {**advance, "paid_on": "2026-06-10", "is_advance": True})
    month = api("of_user").get(f"/dossiers/{world.dossier.number}/months/2026-05").json()
    assert month["status"] == "awaiting_entry"
    paid = funder.json("post", path, {**advance, "paid_on": "2026-06-11"})
    assert paid.status_code == 201 and "verrouillée pour mai 2026" in paid.json()["summary"]
    month = api("of_user").get(f"/dossiers/{world.dossier.number}/months/2026-05").json()
    assert month["status"] == "locked" and month["entry_allowed"] is False
    assert len(funder.get(path).json()) == 2


def test_a_payment_outside_the_training_is_refused_with_the_back_office_message(
    world: World, api: Api
) -> None:
    response = api("agent").json(
        "post",
        f"/funder/dossiers/{world.dossier.number}/payments",
        {
            "period_start": "2027-01-01",
            "period_end": "2027-01-31",
            "amount": "10",
            "paid_on": str(date(2027, 2, 1)),
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("La période doit être comprise dans la formation")
