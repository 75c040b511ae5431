"""« Importer des heures »: a file of many dossiers' hours, previewed, then entered whole
or not at all, each month as if its person had typed it."""

from __future__ import annotations

import hashlib
import io
from datetime import date, time
from typing import Any

import pytest
from openpyxl import Workbook

from realisa.audit.models import AuditEvent
from realisa.certificates import hours_file
from realisa.certificates.entry import STALE_MESSAGE, HoursEntry, enter_hours
from realisa.certificates.hours_import import GRID_NEEDS_DAYS, Boxes, Outcome, Report, run
from realisa.certificates.models import Certificate
from realisa.certificates.rules import Hours
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import HOUR, MARCH, plan_march
from tests.conftest import World
from tests.factories import CertificateFactory, PaymentFactory

APRIL = date(2026, 4, 1)
TICKED = Boxes(certifies_entry=True, accepts_ip_use=True)


def csv_file(*lines: str, header: str = "dossier;mois;centre;stage;absence") -> bytes:
    return "\r\n".join([header, *lines]).encode()


def daily(*lines: str) -> bytes:
    return csv_file(*lines, header="dossier;date;centre;stage;absence;motif_ecart")


def preview(world: World, content: bytes, **options: Any) -> Report:
    return run(content, actor=world.of_user, commit=False, **options)


def imported(world: World, content: bytes, **options: Any) -> Report:
    return run(content, actor=world.of_user, commit=True, boxes=TICKED, **options)


def month_of(dossier: Dossier, month: date = MARCH) -> Certificate:
    return Certificate.objects.get(dossier=dossier, month=month)


def messages(report: Report) -> list[str]:
    """Every refusal of the report, as the page shows it: « ligne(s) …: reason »."""
    said = [f"Ligne {error.line} : {error.reason}" for error in report.errors]
    for month in report.months:
        said += [f"{month.file.place} : {error}" for error in month.errors]
    return said


def test_a_monthly_file_enters_each_month_as_typed_by_its_person(world: World) -> None:
    number = world.dossier.number
    content = csv_file(f"{number};03/2026;70;14;7", f"{number};avril 2026;7h30;0;0")
    report = imported(world, content)
    assert report.imported and report.done == "2 mois enregistrés, 0 inchangé"
    march, april = month_of(world.dossier), month_of(world.dossier, APRIL)
    assert march.status == april.status == MonthStatus.ENTERED
    assert (march.centre_minutes, march.internship_minutes, march.absence_minutes) == (
        70 * HOUR,
        14 * HOUR,
        7 * HOUR,
    )
    assert april.centre_minutes == 7 * HOUR + 30 and april.version == 1
    assert march.entered_by == world.of_user and march.certifies_entry and march.accepts_ip_use
    events = AuditEvent.objects.filter(action="hours.entered", actor=world.of_user)
    assert {event.payload["import_sha256"] for event in events} == {
        hashlib.sha256(content).hexdigest()
    }
    assert march.versions.count() == 1  # its PDF, as after the entry window


def test_the_preview_writes_nothing_and_says_what_will_change(world: World) -> None:
    certificate = CertificateFactory(dossier=world.dossier, month=MARCH, centre_minutes=600)
    content = csv_file(f"{world.dossier.number};03/2026;70;0;0")
    report = preview(world, content)
    (month,) = report.months
    assert month.outcome == Outcome.ENTERED and month.old == Hours(600, 0, 0)
    assert month.file.hours == Hours(70 * HOUR, 0, 0)
    assert report.summary == "1 mois à enregistrer, 0 inchangé"
    certificate.refresh_from_db()
    assert certificate.centre_minutes == 600 and not AuditEvent.objects.filter(
        action="hours.entered"
    )


def test_one_refused_month_and_nothing_is_written(world: World) -> None:
    number = world.dossier.number
    content = csv_file(f"{number};03/2026;70;0;0", f"{number};12/2026;70;0;0")
    report = imported(world, content)
    assert not report.imported and report.is_refused
    assert report.summary == "1 mois à enregistrer, 0 inchangé, 1 refusé"
    assert not Certificate.objects.filter(dossier=world.dossier).exists()
    bad_line = csv_file(f"{number};03/2026;70;0;0", f"{number};04/2026;7h75;0;0")
    report = imported(world, bad_line)
    assert report.summary == "1 mois à enregistrer, 0 inchangé, 1 ligne refusée"
    assert not Certificate.objects.filter(dossier=world.dossier).exists()


def test_importing_the_same_file_again_changes_nothing(world: World) -> None:
    content = csv_file(f"{world.dossier.number};03/2026;70;0;0")
    imported(world, content)
    again = imported(world, content)
    assert again.imported and again.done == "0 mois enregistré, 1 inchangé"
    assert month_of(world.dossier).version == 1


def test_a_certified_month_with_the_same_hours_is_unchanged_not_refused(world: World) -> None:
    CertificateFactory(
        dossier=world.dossier, month=MARCH, centre_minutes=70 * HOUR, status=MonthStatus.CERTIFIED
    )
    report = imported(world, csv_file(f"{world.dossier.number};03/2026;70;0;0"))
    assert report.imported and [m.outcome for m in report.months] == [Outcome.UNCHANGED]


def test_a_month_changed_since_the_preview_is_refused_with_the_window_s_message(
    world: World,
) -> None:
    content = csv_file(f"{world.dossier.number};03/2026;70;0;0")
    seen = preview(world, content).versions
    entry = HoursEntry(hours=Hours(10 * HOUR), certifies_entry=True, accepts_ip_use=True)
    enter_hours(world.dossier, MARCH, actor=world.of_admin, entry=entry, expected_version=0)
    report = imported(world, content, versions=seen)
    assert not report.imported
    assert messages(report) == [f"ligne 2 : {STALE_MESSAGE}"]
    assert month_of(world.dossier).centre_minutes == 10 * HOUR


def test_zero_hours_written_as_zero_are_entered_as_zero(world: World) -> None:
    imported(world, csv_file(f"{world.dossier.number};03/2026;0;0;35"))
    march = month_of(world.dossier)
    assert march.zero_hours_confirmed and march.absence_minutes == 35 * HOUR


def test_a_daily_file_sums_its_days_for_a_month_entered_as_totals(world: World) -> None:
    number = world.dossier.number
    report = imported(
        world,
        daily(f"{number};02/03/2026;7;0;0;", f"{number};03/03/2026;3h30;;3,5;"),
    )
    assert report.imported and report.months[0].file.place == "lignes 2 à 3"
    march = month_of(world.dossier)
    assert (march.centre_minutes, march.absence_minutes) == (10 * HOUR + 30, 3 * HOUR + 30)
    assert not march.days.exists()


def test_a_paperless_dossier_with_a_plan_gets_its_days_and_the_planned_days_left_out(
    world: World,
) -> None:
    plan_march(world.dossier)
    world.dossier.is_paperless = True
    world.dossier.save(update_fields=["is_paperless"])
    number = world.dossier.number
    report = imported(world, daily(f"{number};02/03/2026;7;0;0;", f"{number};05/03/2026;0;7;0;"))
    assert report.imported, messages(report)
    days = {
        day.date: day.centre_minutes + day.internship_minutes
        for day in month_of(world.dossier).days.all()
    }
    assert days == {
        date(2026, 3, 2): 7 * HOUR,
        date(2026, 3, 3): 0,
        date(2026, 3, 4): 0,
        date(2026, 3, 5): 7 * HOUR,
    }


def test_an_xlsx_file_is_read_with_its_dates_and_times_of_day(world: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Dossier", "Date", "Centre", "Stage", "Absence"])
    sheet.append([world.dossier.number, date(2026, 3, 2), time(7, 30), 0, None])
    sheet.append([world.dossier.number, date(2026, 3, 3), 7, 0.5, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = imported(world, buffer.getvalue())
    assert report.imported, messages(report)
    march = month_of(world.dossier)
    assert (march.centre_minutes, march.internship_minutes) == (14 * HOUR + 30, 30)


@pytest.mark.parametrize("layout", list(hours_file.Layout))
def test_each_template_reads_back_without_error(layout: hours_file.Layout) -> None:
    for content in (hours_file.template_csv(layout), hours_file.template_xlsx(layout)):
        read = hours_file.read_months(content)
        assert read.layout == layout and not read.errors and len(read.months) == 1


def number_of(world: World) -> str:
    return world.dossier.number


# Each refusal of a line, with its line number, as the page shows it. ``{n}`` is the world's
# dossier, ``{other}`` the other organisation's.
LINE_ERRORS = [
    (
        csv_file("{n};03/2026;7;0;0", header="dossier;heures"),
        "Ligne 1 : La première ligne doit nommer les colonnes d'un des deux modèles : "
        "dossier;mois;centre;stage;absence (un mois par ligne) ou dossier;date;centre;stage;"
        "absence (un jour par ligne), suivies de motif_ecart au besoin.",
    ),
    (
        csv_file("{n};03/2026;7;0", header="dossier;mois;centre;stage"),
        "Ligne 1 : La première ligne doit nommer les colonnes du modèle (il manque « absence »).",
    ),
    (
        csv_file("{n};03/2026;7;0;0;x", header="dossier;mois;centre;stage;absence;remarque"),
        "Ligne 1 : La première ligne doit nommer les colonnes du modèle (colonnes inconnues : "
        "« remarque »).",
    ),
    (csv_file(), "Ligne 2 : Le fichier ne contient aucune ligne d'heures."),
    (
        b"PK\x03\x04 not a workbook",
        "Ligne 1 : Ce fichier n'est ni un CSV ni un classeur XLSX lisible.",
    ),
    (
        csv_file("{n};13/2026;7;0;0"),
        "Ligne 2 : mois : « 13/2026 » n'est pas un mois (MM/AAAA, par exemple 11/2026).",
    ),
    (
        csv_file("{n};03/2026;7h75;0;0"),
        "Ligne 2 : heures en centre : « 7h75 » : les minutes vont de 0 à 59. Saisissez une "
        "durée comme 7, 7,5, 7h30 ou 7:30.",
    ),
    (
        csv_file("{n};03/2026;-3;0;0"),
        "Ligne 2 : heures en centre : Une durée ne peut pas être négative.",
    ),
    (
        csv_file("{n};03/2026;70;;0"),
        "Ligne 2 : heures en stage : la cellule est vide (écrivez 0 pour zéro heure).",
    ),
    (csv_file(";03/2026;7;0;0"), "Ligne 2 : Le numéro de dossier manque."),
    (
        csv_file("{n};03/2026;7\x00;0;0"),
        "Ligne 2 : Cette ligne contient un caractère nul (U+0000).",
    ),
    (
        csv_file("{n};03/2026;7;0;0", "{n};2026-03;8;0;0"),
        "Ligne 3 : Le mois de mars 2026 du dossier {n} figure déjà à la ligne 2.",
    ),
    (
        daily("{n};02/03/2026;7;0;0;", "{n};2026-03-02;7;0;0;"),
        "Ligne 3 : Le 02/03/2026 du dossier {n} figure déjà à la ligne 2.",
    ),
    (
        daily("{n};02/03/2026;7;0;0;formation", "{n};03/03/2026;7;0;0;rattrapage"),
        "Ligne 3 : Un autre motif d'écart est déjà donné pour le mois de mars 2026 du dossier "
        "{n} (ligne 2) : un seul motif par mois.",
    ),
    (
        daily("{n};31/02/2026;7;0;0;"),
        "Ligne 2 : date : « 31/02/2026 » n'est pas une date (JJ/MM/AAAA).",
    ),
    (
        csv_file("{other};03/2026;7;0;0"),
        "ligne 2 : Le dossier « {other} » n'est pas un dossier de votre organisme.",
    ),
    (
        csv_file("{n};12/2026;7;0;0"),
        "ligne 2 : Décembre 2026 ne fait pas partie de la formation (du 12/01/2026 au 19/06/2026).",
    ),
    (
        daily("{n};02/03/2026;20;0;5;", "{n};03/03/2026;7;0;0;"),
        "lignes 2 à 3 : ligne 2 : Présence (20 h) + absence (5 h) = 25 h : c'est plus que 24 "
        "heures (24 h). Vérifiez que vous avez bien déduit les heures d'absences du total "
        "d'heures de présence.",
    ),
    (
        daily("{n};03/03/2026;7;0;0;", "{n};10/01/2026;7;0;0;"),
        "ligne 3 : Le 10/01/2026 n'est pas un jour de la formation (du 12/01/2026 au 31/01/2026).",
    ),
]


@pytest.mark.parametrize(("content", "expected"), LINE_ERRORS)
def test_every_refusal_names_its_line_in_french(
    world: World, content: bytes, expected: str
) -> None:
    names = {"n": world.dossier.number, "other": world.other_dossier.number}
    report = imported(world, content.decode().format(**names).encode("utf-8"))
    assert not report.imported
    assert expected.format(**names) in messages(report)
    assert not Certificate.objects.filter(dossier=world.dossier).exists()


def test_a_month_above_its_plan_needs_its_reason_column(world: World) -> None:
    plan_march(world.dossier)  # 28 h planned
    refused = imported(world, csv_file(f"{world.dossier.number};03/2026;30;0;0"))
    (said,) = messages(refused)
    assert said.startswith("ligne 2 : Indiquez le motif de l'écart : la présence du mois (30 h)")
    header = "dossier;mois;centre;stage;absence;motif_ecart"
    content = csv_file(f"{world.dossier.number};03/2026;30;0;0;Rattrapage", header=header)
    assert imported(world, content).imported
    assert month_of(world.dossier).gap_reason == "Rattrapage"


def test_a_paperless_dossier_with_a_plan_refuses_a_monthly_line(world: World) -> None:
    plan_march(world.dossier)
    world.dossier.is_paperless = True
    world.dossier.save(update_fields=["is_paperless"])
    report = imported(world, csv_file(f"{world.dossier.number};03/2026;28;0;0"))
    assert messages(report) == [f"ligne 2 : {GRID_NEEDS_DAYS}"]


def test_a_locked_month_is_refused_with_its_reason(world: World) -> None:
    CertificateFactory(dossier=world.dossier, month=MARCH, status=MonthStatus.CERTIFIED)
    PaymentFactory(dossier=world.dossier, period_start=APRIL, period_end=date(2026, 4, 30))
    number = world.dossier.number
    report = imported(world, csv_file(f"{number};03/2026;70;0;0", f"{number};04/2026;70;0;0"))
    march, april = report.months
    assert march.errors == [
        "Les heures de ce mois ne peuvent plus être modifiées (statut : « Certifié par "
        "l'organisme »)."
    ]
    assert april.errors and "règlement" in april.errors[0]
