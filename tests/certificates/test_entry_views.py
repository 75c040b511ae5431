"""The entry window as people reach it: the months tab's icon, the dialog, the page."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import MARCH, PLANNED_DAYS
from tests.conftest import World
from tests.factories import CertificateFactory, PaymentFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(html: str) -> str:
    html = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", html)


def url(dossier: Dossier, month: date = MARCH) -> str:
    return reverse("certificates:enter", args=[dossier.number, month.year, month.month])


def totals(**fields: Any) -> dict[str, Any]:
    return {"version": 0, "centre": "20", "internship": "7", "absence": "1",
            "certifies_entry": "on", **fields}  # fmt: skip


def grid(rows: dict[date, tuple[str, str, str]], **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": 0, "certifies_entry": "on", "jours-TOTAL_FORMS": len(rows),
        "jours-INITIAL_FORMS": len(rows), **fields,
    }  # fmt: skip
    for i, (day, (centre, internship, absence)) in enumerate(rows.items()):
        data |= {f"jours-{i}-date": day.isoformat(), f"jours-{i}-centre": centre,
                 f"jours-{i}-internship": internship, f"jours-{i}-absence": absence}  # fmt: skip
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("agent", 403),
        ("of_admin", 200),
        ("of_user", 200),
        ("other_of_admin", 404),
        ("other_of_user", 404),
        ("beneficiary", 403),
        ("employer", 403),
        ("other_beneficiary", 404),
        ("other_employer", 404),
    ],
)
def test_only_the_organisation_opens_the_entry_window(
    world: World, dossier: Dossier, client: Client, role: str, status: int
) -> None:
    client.force_login(world.user(role))
    assert client.get(url(dossier)).status_code == status
    saved = status == 200
    assert client.post(url(dossier), totals()).status_code == (302 if saved else status)
    assert Certificate.objects.exists() is saved


def test_an_anonymous_visitor_is_sent_to_the_login(dossier: Dossier, client: Client) -> None:
    response = client.get(url(dossier))
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


def test_a_month_outside_the_training_is_not_found(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    assert client.get(url(dossier, date(2026, 7, 1))).status_code == 404
    assert client.get(f"/certificats/{dossier.number}/2026/13/saisie/").status_code == 404


def test_the_months_tab_shows_the_entry_icon_where_entry_is_allowed(
    world: World, dossier: Dossier, client: Client
) -> None:
    PaymentFactory(dossier=dossier, period_start=date(2026, 1, 12), period_end=date(2026, 1, 31))
    CertificateFactory(dossier=dossier, month=date(2026, 2, 1), status="certified")
    client.force_login(world.of_user)
    page = client.get(reverse("certificates:dossier", args=[dossier.number])).text
    assert "Saisir les heures de janvier 2026" not in page  # locked by the payment
    assert "Saisir les heures de février 2026" not in page  # certified
    assert "Saisir les heures de mars 2026" in page
    assert f'hx-get="{url(dossier)}"' in page and f'href="{url(dossier)}"' in page
    assert '<dialog id="saisie-dialog"' in page


@pytest.mark.parametrize("role", ["agent", "beneficiary", "employer"])
def test_the_others_see_no_entry_icon(
    world: World, dossier: Dossier, client: Client, role: str
) -> None:
    client.force_login(world.user(role))
    page = client.get(reverse("certificates:dossier", args=[dossier.number])).text
    assert "Saisir les heures" not in page and "saisie-dialog" not in page


def test_the_window_comes_as_a_dialog_fragment_or_as_a_page(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    fragment = client.get(url(dossier), **HTMX).text
    page = client.get(url(dossier)).text
    assert "<html" not in fragment and "<html" in page
    for html in (fragment, page):
        text = text_of(html)
        assert "Saisie des heures de mars 2026" in text
        assert "Heures de présence en centre" in text and "Heures d'absence" in text
        assert "Heures de présence en stage" in text
        assert "Je certifie la saisie des heures (obligatoire)" in text
        assert "J'accepte que mon adresse IP soit utilisée" in text
        assert (
            "ATTENTION : Vérifiez que vous avez bien déduit les heures d'absences "
            "du total d'heures de présence."
        ) in text
        assert "Total prévu du mois : 28 h" in text


def test_saving_leads_to_the_month_page_then_the_months_show_who_entered_when(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    response = client.post(url(dossier), totals(), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "certificates:month", args=[dossier.number, 2026, 3]
    )
    page = text_of(response.text)
    assert "Les heures de mars 2026 sont enregistrées" in page
    assert "Heures saisies, en attente de certification" in page
    assert "Total des heures réalisées 27 h" in page
    tab = text_of(client.get(reverse("certificates:dossier", args=[dossier.number])).text)
    row = re.search(r"Mars 2026 .*?(?=Avril 2026)", tab)
    assert row is not None
    assert "Heures saisies, en attente de certification 20 h 7 h 1 h" in row[0]
    assert f"par {world.of_user}, le " in row[0]


def test_an_htmx_save_redirects_the_whole_page(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    response = client.post(url(dossier), totals(), **HTMX)
    assert response["HX-Redirect"] == reverse("certificates:month", args=[dossier.number, 2026, 3])


def test_a_gap_with_the_plan_is_a_warning_after_saving(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    response = client.post(url(dossier), totals(absence="0"), follow=True)
    assert "soit 1 h de moins que le total prévu du mois (28 h)" in text_of(response.text)
    assert Certificate.objects.get().absence_minutes == 0


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("centre", "abc", "« abc » n'est pas une durée."),
        ("internship", "-2", "Une durée ne peut pas être négative."),
        ("absence", "1h75", "les minutes vont de 0 à 59"),
        ("centre", "30", "Motif de l'écart : Indiquez le motif de l'écart : la présence du mois"),
    ],
)
def test_bad_hours_are_explained_and_what_was_typed_is_kept(
    world: World, dossier: Dossier, client: Client, field: str, typed: str, message: str
) -> None:
    client.force_login(world.of_user)
    response = client.post(url(dossier), totals(**{field: typed}))
    assert response.status_code == 200
    html = response.text
    assert message in text_of(html)
    assert f'id="id_{field}" value="{typed}"' in html and 'aria-invalid="true"' in html
    assert 'id="id_absence" value="1"' in html or field == "absence"  # the others stay
    assert "checked" in html
    assert not Certificate.objects.exists()


def test_the_certification_box_must_be_ticked(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    data = totals()
    del data["certifies_entry"]
    response = client.post(url(dossier), data)
    assert "Cochez « Je certifie la saisie des heures » pour valider." in text_of(response.text)
    assert not Certificate.objects.exists()


def test_a_forged_post_on_a_locked_month_is_a_conflict(
    world: World, dossier: Dossier, client: Client
) -> None:
    PaymentFactory(dossier=dossier, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    client.force_login(world.of_user)
    for response in (client.post(url(dossier), totals()), client.get(url(dossier), **HTMX)):
        assert response.status_code == 409
        assert (
            "La saisie n'est plus disponible car des règlements ont été faits dans la période"
        ) in text_of(response.text)
    assert not Certificate.objects.exists()


def test_a_forged_post_on_a_certified_month_is_a_conflict(
    world: World, dossier: Dossier, client: Client
) -> None:
    CertificateFactory(dossier=dossier, month=MARCH, status="certified", centre_minutes=60)
    client.force_login(world.of_user)
    response = client.post(url(dossier), totals(version=1))
    assert response.status_code == 409
    assert "ne peuvent plus être modifiées (statut : « Certifié par l'organisme »)" in (
        text_of(response.text)
    )
    assert Certificate.objects.get().centre_minutes == 60


def test_a_stale_save_shows_the_current_hours(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_admin)
    client.post(url(dossier), totals(centre="10"))  # the admin saves first
    client.force_login(world.of_user)
    response = client.post(url(dossier), totals(centre="15"))  # shown version 0: stale
    assert response.status_code == 409
    html = response.text
    assert "Ces heures ont été modifiées entre-temps" in html
    assert 'id="id_centre" value="10 h"' in html and 'name="version" value="1"' in html
    assert Certificate.objects.get().centre_minutes == 600


def test_the_paperless_window_lists_the_planned_days(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    text = text_of(client.get(url(paperless)).text)
    assert "Charger le calendrier" in text
    for label in ("lundi 2 mars", "mardi 3 mars", "mercredi 4 mars", "jeudi 5 mars"):
        assert label in text
    assert "samedi 7 mars" not in text
    assert "Présence en centre le lundi 2 mars 2026" in text  # each box has its label


def test_loading_the_calendar_shows_it_then_copies_it_into_the_presence_boxes(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    typed = grid(dict.fromkeys(PLANNED_DAYS, ("", "", "")))
    typed["jours-0-absence"] = "2"
    shown = client.post(url(paperless), {**typed, "action": "show_calendar"}, **HTMX).text
    assert "Calendrier prévisionnel" in shown and 'value="load_calendar"' in shown
    loaded = client.post(url(paperless), {**typed, "action": "load_calendar"}, **HTMX).text
    assert 'name="jours-0-centre" id="id_jours-0-centre" value="7 h"' in loaded
    assert 'name="jours-3-internship" id="id_jours-3-internship" value="7 h"' in loaded
    assert 'name="jours-0-absence" id="id_jours-0-absence" value="2"' in loaded  # kept
    assert "Calendrier prévisionnel" not in loaded
    assert not Certificate.objects.exists()


def test_the_grid_totals_follow_what_is_typed(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    rows = {date(2026, 3, 2): ("4", "", "3"), date(2026, 3, 5): ("", "7", "")}
    html = client.post(url(paperless), {**grid(rows), "action": "totals"}, **HTMX).text
    assert "Total du mois 28 h 4 h 7 h 3 h" in text_of(html)


def test_a_paperless_save_stores_the_grid(world: World, paperless: Dossier, client: Client) -> None:
    client.force_login(world.of_user)
    rows = dict.fromkeys(list(PLANNED_DAYS)[:3], ("7", "", ""))
    rows[date(2026, 3, 3)] = ("4", "", "3")
    rows[date(2026, 3, 5)] = ("", "7", "")
    response = client.post(url(paperless), grid(rows))
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.centre_minutes == 18 * 60 and certificate.absence_minutes == 180
    assert certificate.days.count() == 4


@pytest.mark.parametrize("forged", ["-1", "0", "32", "1000000", "-2147483649"])
def test_a_forged_count_of_days_is_refused_rather_than_saved(
    world: World, paperless: Dossier, client: Client, forged: str
) -> None:
    client.force_login(world.of_user)
    rows = dict.fromkeys(PLANNED_DAYS, ("7", "", ""))
    response = client.post(url(paperless), grid(rows) | {"jours-TOTAL_FORMS": forged})
    assert response.status_code == 200
    assert "Le tableau des jours envoyé est incomplet" in text_of(response.text)
    assert not Certificate.objects.exists()


def test_a_day_above_its_plan_is_highlighted_with_its_difference(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    rows = dict.fromkeys(PLANNED_DAYS, ("", "", ""))
    rows[date(2026, 3, 2)] = ("7:30", "", "1")
    response = client.post(url(paperless), {**grid(rows), "action": "totals"})
    assert '<span class="gap-note" id="ecart-jours-0">+0 h 30 par rapport au prévu</span>' in (
        response.text
    )
    assert 'name="jours-0-absence" id="id_jours-0-absence" value="1"' in response.text
    assert client.post(url(paperless), grid(rows)).status_code == 302  # the month is within


def test_a_forged_day_outside_the_month_is_refused(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    rows = dict.fromkeys(PLANNED_DAYS, ("7", "", ""))
    rows[date(2026, 4, 8)] = ("7", "", "")
    response = client.post(url(paperless), grid(rows))
    assert "Le 08/04/2026 n'est pas un jour de ce mois pendant la formation" in (
        text_of(response.text)
    )
    assert not Certificate.objects.exists()


def test_the_ip_and_its_consent_are_stored(world: World, dossier: Dossier, client: Client) -> None:
    client.force_login(world.of_user)
    client.post(url(dossier), totals(accepts_ip_use="on"), REMOTE_ADDR="203.0.113.7")
    certificate = Certificate.objects.get()
    assert certificate.accepts_ip_use and certificate.entered_ip == "203.0.113.7"


def test_a_month_starting_with_a_vowel_is_elided(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    page = text_of(client.get(reverse("certificates:dossier", args=[dossier.number])).text)
    assert "Saisir les heures d'avril 2026" in page and "Saisir les heures de mai 2026" in page
