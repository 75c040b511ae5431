"""The entry window for « hours as they happen »: adding a day, the comparison with the
plan before « OK », the reason and zero-hour boxes, and the summary of errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from realisa.certificates.models import Certificate
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import PLANNED_DAYS
from tests.certificates.test_entry_views import HTMX, grid, text_of, totals, url
from tests.conftest import World

SATURDAY = date(2026, 3, 7)


def planned_rows(**extra: tuple[str, str, str]) -> dict[date, tuple[str, str, str]]:
    rows = dict.fromkeys(PLANNED_DAYS, ("7", "", ""))
    rows[date(2026, 3, 5)] = ("", "7", "")
    return rows | {date.fromisoformat(day): hours for day, hours in extra.items()}


def test_the_window_names_its_new_boxes(world: World, paperless: Dossier, client: Client) -> None:
    client.force_login(world.of_user)
    html = client.get(url(paperless)).text.replace("&#x27;", "'")
    assert '<label for="id_new_day">Date du jour à ajouter</label>' in html
    assert (
        '<input type="date" name="new_day" id="id_new_day" min="2026-03-01" max="2026-03-31"'
    ) in html
    assert 'value="add_day" class="button secondary">Ajouter un jour</button>' in html
    assert '<label for="id_gap_reason">Motif de l\'écart</label>' in html
    assert (
        '<label for="id_zero_hours_confirmed">Je certifie zéro heure pour ce mois</label>' in html
    )


def test_a_day_outside_the_plan_is_added_then_saved_with_a_reason(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    typed = grid(planned_rows()) | {"action": "add_day", "new_day": "2026-03-07"}
    added = client.post(url(paperless), typed, **HTMX).text
    assert "samedi 7 mars" in text_of(added) and "hors calendrier" in text_of(added)
    assert 'name="jours-4-date" value="2026-03-07"' in added
    assert 'value="remove_day:2026-03-07"' in added
    saved = client.post(url(paperless), grid(planned_rows(**{"2026-03-07": ("3", "", "")})))
    assert saved.status_code == 200  # 31 h of 28 h: the reason is missing
    assert "la présence du mois (31 h) dépasse le prévu du mois (28 h) de 3 h" in (
        text_of(saved.text)
    )
    data = grid(planned_rows(**{"2026-03-07": ("3", "", "")}), gap_reason="Rattrapage du samedi")
    assert client.post(url(paperless), data).status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.gap_reason == "Rattrapage du samedi"
    assert certificate.days.get(date=SATURDAY).centre_minutes == 180


def test_an_added_day_can_be_removed(world: World, paperless: Dossier, client: Client) -> None:
    client.force_login(world.of_user)
    typed = grid(planned_rows(**{"2026-03-07": ("3", "", "")}))
    html = client.post(url(paperless), typed | {"action": "remove_day:2026-03-07"}).text
    assert "samedi 7 mars" not in text_of(html) and 'name="jours-4-date"' not in html
    kept = client.post(url(paperless), typed | {"action": "remove_day:2026-03-02"}).text
    assert "lundi 2 mars" in text_of(kept)  # a planned day stays


def test_the_date_of_an_added_day_is_checked_by_the_server(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    cases = {
        "2026-04-01": "Choisissez un jour du 01/03/2026 au 31/03/2026 (le mois, pendant la "
        "formation).",
        "2026-03-02": "Le 02/03/2026 figure déjà dans le tableau.",
        "": "Choisissez la date du jour à ajouter.",
        "demain": "Saisissez une date valide, par exemple 07/03/2026.",
    }
    for typed, message in cases.items():
        data = grid(planned_rows()) | {"action": "add_day", "new_day": typed}
        html = client.post(url(paperless), data).text
        assert f'<p class="errorlist" id="id_new_day-erreur">{message}</p>' in html
        assert f'<a href="#id_new_day">Date du jour à ajouter : {message}</a>' in html
        assert 'name="jours-4-date"' not in html
        assert f'id="id_new_day" min="2026-03-01" max="2026-03-31" value="{typed}"' in html
    assert not Certificate.objects.exists()


def test_the_comparison_before_ok_shows_plan_entered_and_difference(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    rows = planned_rows(**{"2026-03-02": ("8", "", "1"), "2026-03-07": ("2", "", "")})
    text = text_of(client.post(url(paperless), grid(rows) | {"action": "totals"}, **HTMX).text)
    assert "Présence (centre + stage) 28 h 31 h +3 h" in text
    assert "Absence 0 h 1 h +1 h" in text
    assert "Présence + absence 28 h 32 h +4 h" in text
    assert "Présence cumulée du dossier avec ce mois : 31 h sur 600 h financées." in text
    assert "Le motif de l'écart est obligatoire : la présence du mois (31 h) dépasse" in text
    assert "+1 h par rapport au prévu" in text and "+2 h par rapport au prévu" in text


def test_without_a_calendar_the_window_compares_with_the_financed_hours(
    world: World, client: Client
) -> None:
    client.force_login(world.of_user)
    data = totals(centre="601", internship="", absence="")
    text = text_of(client.post(url(world.dossier), data | {"action": "totals"}).text)
    assert "Sans calendrier prévisionnel, la présence est comparée aux heures financées" in text
    assert "Présence (centre + stage) — 601 h —" in text
    assert (
        "Présence cumulée du dossier avec ce mois : 601 h sur 600 h financées, soit 1 h de plus."
        in text
    )


def test_an_empty_month_asks_for_the_zero_hour_box_where_it_stands(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    response = client.post(url(dossier), totals(centre="", internship="", absence=""))
    html = response.text
    message = (
        "Aucune heure de présence n'est saisie : cochez « Je certifie zéro heure pour ce mois »"
    )
    assert message in text_of(html)
    assert 'id="id_zero_hours_confirmed" aria-invalid="true"' in html
    assert '<a href="#id_zero_hours_confirmed">Je certifie zéro heure pour ce mois : ' in html
    assert not Certificate.objects.exists()
    data = totals(centre="", internship="", absence="", zero_hours_confirmed="on")
    assert client.post(url(dossier), data).status_code == 302
    assert Certificate.objects.get().zero_hours_confirmed


def test_the_summary_links_each_problem_to_its_box(
    world: World, paperless: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    data: dict[str, Any] = grid(planned_rows(**{"2026-03-03": ("20", "", "5")}))
    del data["certifies_entry"]
    html = client.post(url(paperless), data).text.replace("&#x27;", "'")
    assert '<a href="#id_jours-1-centre">03/03/2026 : Présence (20 h) + absence (5 h)' in html
    assert (
        '<a href="#id_certifies_entry">Je certifie la saisie des heures : Cochez « Je certifie '
        "la saisie des heures » pour valider.</a>"
    ) in html
    assert 'id="id_certifies_entry" aria-invalid="true"' in html
    typed = grid(planned_rows(**{"2026-03-04": ("abc", "", "")}))
    html = client.post(url(paperless), typed).text.replace("&#x27;", "'")
    assert '<a href="#id_jours-2-centre">04/03/2026 : « abc » n\'est pas une durée.' in html
    assert 'value="abc"' in html  # what was typed comes back


def test_a_gap_reason_is_shown_again_when_another_box_is_wrong(
    world: World, dossier: Dossier, client: Client
) -> None:
    client.force_login(world.of_user)
    data = totals(centre="30", gap_reason="Rattrapage", certifies_entry="")
    html = client.post(url(dossier), data).text
    assert ">Rattrapage</textarea>" in html


def test_the_close_button_and_escape_ask_before_losing_hours(
    world: World, dossier: Dossier, client: Client
) -> None:
    """The dialog's « Fermer » is marked for entry-dialog.js, which asks before closing."""
    client.force_login(world.of_user)
    page = client.get(f"/certificats/{dossier.number}/").text
    assert 'class="button secondary" data-entry-close>Fermer</button>' in page
    script = client.get("/static/realisa/entry-dialog.js")
    body = b"".join(script.streaming_content).decode()  # type: ignore[attr-defined]
    assert "Fermer la fenêtre sans les enregistrer ?" in body
    assert '"Escape"' in body and "[data-entry-close]" in body
