"""The rules the API shares with the screens: same parser, statuses, version check, steps
and French messages, because the API calls the same services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from realisa.certificates.models import Certificate
from realisa.certificates.plan import find_period, refusal_message
from realisa.choices import MonthStatus
from realisa.demo.files import one_page_pdf
from realisa.lib.hours import FORMAT_HELP
from tests.api.conftest import FEBRUARY, MARCH, ApiClient
from tests.certificates.conftest import make_online_ready, plan_march
from tests.conftest import World
from tests.factories import PaymentFactory

Api = Callable[[str | None], ApiClient]
APRIL = "2026-04"


def put_hours(client: ApiClient, number: str, month: str = APRIL, **fields: Any) -> Any:
    body = {"centre": "70", "certifies_entry": True, "version": 0, **fields}
    return client.json("put", f"/dossiers/{number}/months/{month}/hours", body)


def test_hours_typed_as_people_type_them_are_stored_in_minutes(world: World, api: Api) -> None:
    response = put_hours(api("of_user"), world.dossier.number, centre="70h30", absence="3,5")
    month = response.json()["month"]
    assert response.status_code == 200
    assert (month["status"], month["version"]) == ("entered", 1)
    assert (month["centre_minutes"], month["absence_minutes"]) == (70 * 60 + 30, 210)
    assert month["versions"][0]["pdf_url"].endswith("/pdf")


def test_a_duration_that_is_not_one_gets_the_screen_s_message(world: World, api: Api) -> None:
    response = put_hours(api("of_user"), world.dossier.number, centre="beaucoup")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "centre": f"« beaucoup » n'est pas une durée. {FORMAT_HELP}"
    }


def test_the_certify_box_is_required_as_on_the_screen(world: World, api: Api) -> None:
    response = put_hours(api("of_user"), world.dossier.number, certifies_entry=False)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "certifies_entry": "Cochez « Je certifie la saisie des heures » pour valider."
    }


def test_more_than_the_plan_needs_the_reason_of_the_gap_as_on_the_screen(
    world: World, api: Api
) -> None:
    plan_march(world.dossier)  # 28 h planned in March
    refused = put_hours(api("of_user"), world.dossier.number, MARCH, centre="30")
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "gap_reason": "Indiquez le motif de l'écart : la présence du mois (30 h) dépasse le "
        "prévu du mois (28 h) de 2 h."
    }

    reason = "Rattrapage le samedi 14 mars"
    saved = put_hours(api("of_user"), world.dossier.number, MARCH, centre="30", gap_reason=reason)
    assert saved.status_code == 200
    certificate = Certificate.objects.get(dossier=world.dossier, month=date(2026, 3, 1))
    assert (certificate.centre_minutes, certificate.gap_reason) == (30 * 60, reason)


def test_an_empty_month_is_saved_only_when_zero_hours_are_certified(world: World, api: Api) -> None:
    refused = put_hours(api("of_user"), world.dossier.number, centre="")
    assert refused.status_code == 422
    assert "Je certifie zéro heure pour ce mois" in refused.json()["errors"]["zero_hours_confirmed"]

    saved = put_hours(api("of_user"), world.dossier.number, centre="", zero_hours_confirmed=True)
    assert saved.status_code == 200
    assert saved.json()["month"]["centre_minutes"] == 0


def test_less_than_the_plan_is_saved_with_the_warning(world: World, api: Api) -> None:
    plan_march(world.dossier)
    response = put_hours(api("of_user"), world.dossier.number, MARCH, centre="20")
    assert response.status_code == 200
    assert response.json()["warning"].endswith("que le total prévu du mois (28 h).")


def test_a_stale_version_gets_409_with_the_current_hours(world: World, api: Api) -> None:
    client = api("of_user")
    put_hours(client, world.dossier.number, centre="70")
    response = put_hours(api("of_admin"), world.dossier.number, centre="60", version=0)
    problem = response.json()
    assert response.status_code == 409
    assert problem["detail"].startswith("Ces heures ont été modifiées entre-temps")
    assert problem["current"]["centre_minutes"] == 70 * 60 and problem["current"]["version"] == 1


def test_a_month_locked_by_a_payment_refuses_entry_with_the_seed_s_words(
    world: World, api: Api
) -> None:
    PaymentFactory(
        dossier=world.dossier, period_start=date(2026, 4, 1), period_end=date(2026, 4, 30)
    )
    response = put_hours(api("of_user"), world.dossier.number)
    assert response.status_code == 409
    period = find_period(world.dossier, date(2026, 4, 1))
    assert period is not None
    assert response.json()["detail"] == refusal_message(MonthStatus.LOCKED, period)


def test_a_beneficiary_token_cannot_set_hours(world: World, api: Api) -> None:
    response = put_hours(api("beneficiary"), world.dossier.number)
    assert response.status_code == 403
    assert not Certificate.objects.filter(dossier=world.dossier).exists()


def test_an_online_certifier_must_accept_the_ip_use_as_on_the_screen(
    world: World, api: Api
) -> None:
    make_online_ready(world.dossier.organisation)
    world.of_user.can_certify = True
    world.of_user.save()
    response = put_hours(api("of_user"), world.dossier.number)
    assert response.status_code == 422
    assert "accepts_ip_use" in response.json()["errors"]


def test_certify_paper_needs_the_signed_scan_first(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    client = api("of_user")
    month = f"/dossiers/{world.dossier.number}/months/{MARCH}"
    client.json("delete", f"{month}/signed-scan")
    response = client.json("post", f"{month}/certify-paper")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Déposez d'abord le certificat de réalisation")


def test_certify_paper_certifies_and_a_second_time_says_it_is_already(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    client = api("of_user")
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}/certify-paper"
    first = client.json("post", path)
    assert first.status_code == 200 and first.json()["status"] == "certified"
    again = client.json("post", path)
    assert again.status_code == 409
    assert again.json()["detail"] == "Ce certificat de réalisation est déjà certifié."


def test_a_file_that_is_not_a_scan_is_refused_with_the_upload_message(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}/signed-scan"
    response = api("of_user").upload(path, b"<html>not a scan</html>", "scan.html")
    assert response.status_code == 422
    assert response.json()["detail"] == "Ce fichier n'est ni un PDF ni une image PNG ou JPEG."


def test_uploading_a_sheet_lists_it_on_the_month(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}/attendance-sheets"
    response = api("of_admin").upload(path, one_page_pdf("Feuille 2"), "feuille-2.pdf")
    assert response.status_code == 201
    assert [s["name"] for s in response.json()["attendance_sheets"]] == [
        "feuille.pdf",
        "feuille-2.pdf",
    ]


def test_the_certified_month_s_pdf_downloads_for_the_beneficiary(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    client = api("of_user")
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}"
    client.json("post", f"{path}/certify-paper")
    versions = api("beneficiary").get(f"{path}/versions").json()
    pdf = api("beneficiary").get(versions[-1]["pdf_url"].removeprefix("/api/v1"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_the_months_list_has_every_month_with_its_status(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    rows = api("of_user").get(f"/dossiers/{world.dossier.number}/months").json()
    assert [r["month"] for r in rows] == [f"2026-0{m}" for m in range(1, 7)]
    assert {r["month"]: r["status"] for r in rows}[FEBRUARY] == "certified"


def test_a_draft_stays_hidden_from_the_beneficiary(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    month = api("beneficiary").get(f"/dossiers/{world.dossier.number}/months/{MARCH}").json()
    assert month["certificate_id"] is None and month["centre_minutes"] == 0


def test_dossiers_filter_by_month_status(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    client = api("agent")
    certified = client.get("/dossiers", status="certified", month=FEBRUARY).json()
    assert [d["number"] for d in certified["items"]] == [world.dossier.number]
    assert client.get("/dossiers", status="certified", month=MARCH).json()["count"] == 0
    assert client.get("/dossiers", number=world.other_dossier.number).json()["count"] == 1


def test_without_the_certify_box_a_user_cannot_certify_online_through_the_api(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    make_online_ready(world.dossier.organisation)
    path = f"/dossiers/{world.dossier.number}/months/{MARCH}/online"
    response = api("of_user").json("post", f"{path}/code")
    assert response.status_code == 403
    assert "« certification des certificats de réalisation »" in response.json()["detail"]
    certify = api("of_user").json("post", f"{path}/certify", {"code": "0000"})
    assert certify.status_code == 403


def test_bad_input_is_a_problem_never_a_server_error(world: World, api: Api) -> None:
    client = api("of_user")
    path = f"/dossiers/{world.dossier.number}/months/{APRIL}/hours"
    broken = client.client.put(
        f"/api/v1{path}", "{not json", content_type="application/json", headers=client.headers
    )
    assert broken.status_code == 400
    assert broken["Content-Type"] == "application/problem+json"
    assert broken.json()["detail"].startswith("Le corps de la requête est illisible")
    assert client.json("put", path, {"version": -1}).status_code == 422
    assert client.get("/dossiers/T-1/months/2026-13").status_code == 422


@pytest.mark.parametrize("loose", ["yes", "true", "on", 1, "1"])
def test_a_box_is_ticked_only_by_a_json_true(world: World, api: Api, loose: object) -> None:
    response = put_hours(api("of_user"), world.dossier.number, certifies_entry=loose)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not Certificate.objects.filter(dossier=world.dossier).exists()


def test_a_payment_s_advance_flag_is_a_json_boolean(world: World, api: Api) -> None:
    body = {
        "period_start": "2026-01-12",
        "period_end": "2026-01-31",
        "amount": "100.00",
        "paid_on": "2026-02-15",
        "is_advance": "yes",
    }
    response = api("agent").json("post", f"/funder/dossiers/{world.dossier.number}/payments", body)
    assert response.status_code == 422
    assert not world.dossier.payments.exists()
