"""For the funder's payment system: the feed by cursor, transmissions, payments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.dossiers.models import Payment
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
    assert response.json()["detail"].startswith("La période ne recouvre aucun jour de la formation")


def payment_row(number: str, reference: str, amount: str = "1200.00", **fields: Any) -> Any:
    return {
        "dossier": number,
        "reference": reference,
        "period_start": "2026-02-01",
        "period_end": "2026-02-28",
        "amount": amount,
        "paid_on": "2026-03-20",
        "is_advance": False,
        **fields,
    }


def outcomes(response: Any) -> list[tuple[str, str, list[str]]]:
    return [(r["reference"], r["outcome"], r["errors"]) for r in response.json()["results"]]


def test_put_payments_answers_each_row_on_its_own(world: World, api: Api) -> None:
    number, other = world.dossier.number, world.other_dossier.number
    body = {
        "payments": [
            payment_row(number, "VIR-001"),
            payment_row("INCONNU", "VIR-002"),
            payment_row(number, "VIR-003", period_start="2027-01-01", period_end="2027-01-31"),
            payment_row(other, "VIR-004", amount="800.50", is_advance=True),
        ]
    }
    response = api("agent").json("put", "/funder/payments", body)
    assert response.status_code == 200
    assert outcomes(response) == [
        ("VIR-001", "created", []),
        ("VIR-002", "refused", ["Le dossier « INCONNU » n'existe pas."]),
        (
            "VIR-003",
            "refused",
            [
                "La période ne recouvre aucun jour de la formation, "
                "qui va du 12/01/2026 au 19/06/2026."
            ],
        ),
        ("VIR-004", "created", []),
    ]
    created = response.json()["results"][0]["payment"]
    assert created["dossier"] == number and created["reference"] == "VIR-001"
    assert Decimal(created["amount"]) == Decimal("1200.00")
    assert response.json()["results"][1]["payment"] is None
    assert sorted(Payment.objects.values_list("external_reference", "dossier__number")) == [
        ("VIR-001", number),
        ("VIR-004", other),
    ]


def test_the_same_call_twice_records_nothing_the_second_time(world: World, api: Api) -> None:
    body = {
        "payments": [
            payment_row(world.dossier.number, "VIR-001"),
            payment_row(world.other_dossier.number, "VIR-002"),
        ]
    }
    funder = api("agent")
    first = funder.json("put", "/funder/payments", body)
    events = AuditEvent.objects.count()
    again = funder.json("put", "/funder/payments", body)
    assert [r["outcome"] for r in first.json()["results"]] == ["created", "created"]
    assert outcomes(again) == [("VIR-001", "unchanged", []), ("VIR-002", "unchanged", [])]
    assert [r["payment"]["id"] for r in again.json()["results"]] == [
        r["payment"]["id"] for r in first.json()["results"]
    ]
    assert Payment.objects.count() == 2 and AuditEvent.objects.count() == events


def test_a_corrected_row_updates_its_payment(world: World, api: Api) -> None:
    funder = api("agent")
    funder.json("put", "/funder/payments", {"payments": [payment_row(world.dossier.number, "V")]})
    corrected = {"payments": [payment_row(world.dossier.number, "V", amount="1250")]}
    response = funder.json("put", "/funder/payments", corrected)
    assert outcomes(response) == [("V", "updated", [])]
    payment = response.json()["results"][0]["payment"]
    assert Decimal(payment["amount"]) == Decimal("1250")
    assert payment["summary"] == (
        "Règlement mis à jour : la saisie est verrouillée pour février 2026."
    )
    assert Payment.objects.get().amount == Decimal("1250.00")


def test_a_reference_of_another_dossier_or_twice_in_the_call_is_refused(
    world: World, api: Api
) -> None:
    number, other = world.dossier.number, world.other_dossier.number
    funder = api("agent")
    funder.json("put", "/funder/payments", {"payments": [payment_row(other, "VIR-001")]})
    body = {
        "payments": [
            payment_row(number, "VIR-001"),
            payment_row(number, "VIR-002"),
            payment_row(number, "VIR-002", amount="99"),
        ]
    }
    assert outcomes(funder.json("put", "/funder/payments", body)) == [
        (
            "VIR-001",
            "refused",
            [
                f"La référence « VIR-001 » est celle d'un règlement du dossier « {other} » : "
                "un règlement ne change pas de dossier."
            ],
        ),
        ("VIR-002", "created", []),
        ("VIR-002", "refused", ["La référence « VIR-002 » figure déjà plus haut dans cet envoi."]),
    ]
    assert sorted(Payment.objects.values_list("external_reference", "dossier__number")) == [
        ("VIR-001", other),
        ("VIR-002", number),
    ]


def test_more_than_500_rows_is_a_422_problem(world: World, api: Api) -> None:
    rows = [payment_row(world.dossier.number, f"VIR-{n}") for n in range(501)]
    response = api("agent").json("put", "/funder/payments", {"payments": rows})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "501 règlements envoyés : au plus 500 par appel. Envoyez-les en plusieurs appels."
    )
    assert not Payment.objects.exists()


def test_an_organisation_cannot_put_payments(world: World, api: Api) -> None:
    body = {"payments": [payment_row(world.dossier.number, "VIR-001")]}
    response = api("of_admin").json("put", "/funder/payments", body)
    assert response.status_code == 403
    assert response.json()["detail"] == "Réservé aux agents de Transitions Pro."
    assert not Payment.objects.exists()


def test_one_payment_with_a_reference_is_created_once(world: World, api: Api) -> None:
    path = f"/funder/dossiers/{world.dossier.number}/payments"
    body = {
        "period_start": "2026-02-01",
        "period_end": "2026-02-28",
        "amount": "1200",
        "paid_on": "2026-03-20",
        "reference": "VIR-001",
    }
    funder = api("agent")
    created = funder.json("post", path, body)
    again = funder.json("post", path, body)
    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["reference"] == "VIR-001"
    assert again.json()["summary"] == (
        "Ce règlement était déjà enregistré à l'identique : rien n'a changé."
    )
    assert Payment.objects.get().external_reference == "VIR-001"


def test_the_api_reports_the_same_warnings(world: World, api: Api) -> None:
    Certificate.objects.create(dossier=world.dossier, month=date(2026, 2, 1), status="entered")
    entered = (
        "Des heures saisies ne sont pas encore certifiées (février 2026) : ce règlement en "
        "verrouille la saisie. L'organisme pourra les certifier, mais plus les corriger."
    )
    row = {
        "dossier": world.dossier.number,
        "reference": "VIR-001",
        "period_start": "2026-02-01",
        "period_end": "2026-02-28",
        "amount": "1200.00",
        "paid_on": "2026-03-20",
    }
    funder = api("agent")
    first = funder.json("put", "/funder/payments", {"payments": [row]}).json()["results"][0]
    assert (first["outcome"], first["warnings"]) == ("created", [entered])
    assert first["payment"]["warnings"] == [entered]
    again = funder.json("put", "/funder/payments", {"payments": [row]}).json()["results"][0]
    assert (again["outcome"], again["warnings"]) == ("unchanged", [])
    single = funder.json(
        "post",
        f"/funder/dossiers/{world.dossier.number}/payments",
        {**row, "reference": "", "period_start": "2026-01-01", "period_end": "2026-01-31"},
    ).json()
    assert single["warnings"] == [
        "Période ramenée aux dates de la formation : du 12/01/2026 au 31/01/2026."
    ]
