"""The planned calendar from a planning tool's iCalendar (.ics) export: previewed, then
saved as previewed; repeated sessions expanded, company sessions counted as internship,
all-day events left out; a file that is not a calendar is refused with its reason."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from realisa.audit.models import AuditEvent
from realisa.dossiers.ical_plan import UnreadableCalendar, read_ics
from realisa.dossiers.models import PlannedDay
from realisa.dossiers.planning import DayPlan
from tests.certificates.test_planned_calendar import browser, days_of, page
from tests.conftest import World

# Mondays and Tuesdays in March 2026 from 9:00 to 12:30 and 13:30 to 17:00 (7 h), but not
# Monday 16 March; Thursday 5 March, 8:00–12:00 UTC in a company (9:00–13:00 in Paris);
# an all-day event; a session in July, after the training.
ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Outil de planning//FR\r
BEGIN:VEVENT\r
UID:matin@planning\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Cours du matin\r
DTSTART;TZID=Europe/Paris:20260302T090000\r
DTEND;TZID=Europe/Paris:20260302T123000\r
RRULE:FREQ=WEEKLY;BYDAY=MO,TU;UNTIL=20260331T235959Z\r
EXDATE;TZID=Europe/Paris:20260316T090000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:aprem@planning\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Cours de l'apres-midi\r
DTSTART;TZID=Europe/Paris:20260302T133000\r
DTEND;TZID=Europe/Paris:20260302T170000\r
RRULE:FREQ=WEEKLY;BYDAY=MO,TU;UNTIL=20260331T235959Z\r
EXDATE;TZID=Europe/Paris:20260316T133000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:stage@planning\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Journee en entreprise\r
DTSTART:20260305T080000Z\r
DTEND:20260305T120000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:journee@planning\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Journee portes ouvertes\r
DTSTART;VALUE=DATE:20260310\r
DTEND;VALUE=DATE:20260311\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:juillet@planning\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Cours\r
DTSTART;TZID=Europe/Paris:20260701T090000\r
DTEND;TZID=Europe/Paris:20260701T120000\r
END:VEVENT\r
END:VCALENDAR\r
"""
START, END = date(2026, 1, 12), date(2026, 6, 19)
SESSIONS = [date(2026, 3, day) for day in (2, 3, 9, 10, 17, 23, 24, 30, 31)]


def test_sessions_repeat_skip_their_exceptions_and_count_in_the_company_by_their_words() -> None:
    reading = read_ics(ICS, START, END)

    assert reading.days == {
        **{day: DayPlan(centre_minutes=7 * 60) for day in SESSIONS},
        date(2026, 3, 5): DayPlan(internship_minutes=4 * 60),
    }
    assert reading.skipped == 1  # the all-day event; July lies outside the period asked


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a calendar", "Ce fichier n'est pas un calendrier iCalendar (.ics)."),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n", "est illisible"),
        (ICS.replace(b"202603", b"202609"), "Aucune séance avec des horaires"),
    ],
)
def test_a_file_that_is_no_planned_calendar_is_refused_with_why(
    content: bytes, message: str
) -> None:
    with pytest.raises(UnreadableCalendar, match=re.escape(message)):
        read_ics(content, START, END)


def test_the_organisation_previews_the_file_then_saves_what_it_previewed(
    own_plan: World,
) -> None:
    client = browser(own_plan, "of_user")

    preview = client.post(
        page(own_plan), {"action": "ics_preview", "file": SimpleUploadedFile("plan.ics", ICS)}
    )

    assert preview.status_code == 200
    assert "Aperçu du fichier (rien n'est enregistré)" in preview.text
    assert "Total prévu : <strong>67 h</strong> pour 600 h financées" in preview.text
    assert "1 événement sans horaires ou hors de la formation : laissé de côté." in preview.text
    assert not PlannedDay.objects.exists()
    token = re.search(r'name="jours" value="([^"]+)"', preview.text)
    assert token is not None

    saved = client.post(page(own_plan), {"action": "ics_save", "jours": token[1]}, follow=True)

    assert "Le calendrier prévisionnel est enregistré : 67 h sur 10 jours." in saved.text
    assert days_of(own_plan.dossier)[date(2026, 3, 5)] == (0, 4 * 60)
    event = AuditEvent.objects.get(action="dossier.plan_changed")
    assert event.payload["source"] == "fichier .ics"


def test_a_tampered_preview_saves_nothing(own_plan: World) -> None:
    response = browser(own_plan, "of_user").post(
        page(own_plan), {"action": "ics_save", "jours": "eyJ9:forged"}, follow=True
    )

    assert "L&#x27;aperçu a expiré : déposez le fichier de nouveau." in response.text
    assert not PlannedDay.objects.exists()


def test_a_refused_file_comes_back_next_to_its_field(own_plan: World) -> None:
    upload = SimpleUploadedFile("plan.ics", b"%PDF-1.7")
    response = browser(own_plan, "of_user").post(
        page(own_plan), {"action": "ics_preview", "file": upload}
    )

    assert response.status_code == 400
    assert "Ce fichier n&#x27;est pas un calendrier iCalendar (.ics)." in response.text
