"""The beneficiary's answer does not block the month forever: a reminder after
ANSWER_REMINDER_DAYS days, then, past ANSWER_DEADLINE_DAYS working days, the month is
validated « sans réponse du bénéficiaire »; a contest keeps the month open.

March is certified online on Thursday 2 April 2026 at 9:00 (Paris). Easter Monday, 6 April,
is a public holiday: the five working days are 3, 7, 8, 9 and 10 April, so the beneficiary
answers before Saturday 11 April, and the month is validated from its midnight on.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.answer import answer_deadline, close_unanswered_months
from realisa.certificates.models import Certificate
from realisa.certificates.validation import contest_hours
from realisa.choices import MonthStatus, ValidationKind, VersionReason
from realisa.documents.models import CertificationEvidence
from realisa.documents.services import latest_version
from realisa.lib.working_days import add_working_days
from realisa.notifications.models import OutboxEmail
from realisa.webhooks.models import Webhook, WebhookDelivery
from realisa.webhooks.outbox import EVENTS
from tests.conftest import World, run_background_jobs
from tests.online.conftest import PARIS, web
from tests.online.test_pages import client, url
from tests.online.test_sealed_versions import assert_sealed, certify, pdf_of

pytestmark = pytest.mark.django_db

FUNDER = "certificats@transitionspro-ge.localhost"
DEADLINE_TEXT = "avant le samedi 11 avril 2026, les heures seront considérées comme validées"


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 4, day, hour, minute, tzinfo=PARIS)


def contest(world: World, certificate: Certificate) -> None:
    beneficiary = world.beneficiary
    request = web(beneficiary)
    contest_hours(certificate, actor=beneficiary, comment="Il manque le 3.", request=request)


def listening_webhook(world: World) -> Webhook:
    return Webhook.objects.create(
        organisation=world.dossier.organisation,
        url="https://exemple.fr/realisa",
        secret="s" * 32,
        events=list(EVENTS),
        created_by=None,
    )


def test_working_days_skip_weekends_and_french_public_holidays() -> None:
    assert add_working_days(date(2026, 4, 2), 5) == date(2026, 4, 10)  # Easter Monday skipped
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)  # Christmas, a Friday
    assert add_working_days(date(2026, 7, 10), 1) == date(2026, 7, 13)  # Friday to Monday
    assert add_working_days(date(2026, 7, 13), 1) == date(2026, 7, 15)  # 14 July skipped
    assert answer_deadline(at(2, 9)) == date(2026, 4, 11)


def test_the_deadline_is_a_setting(settings: Any) -> None:
    settings.ANSWER_DEADLINE_DAYS = 1
    assert answer_deadline(at(2, 23, 30)) == date(2026, 4, 4)  # Friday 3 answers, then due


def test_the_beneficiary_and_the_organisation_read_the_deadline(
    ready: World, entered: Certificate
) -> None:
    certify(ready, entered)

    month_page = client(ready.beneficiary).get(url("month", ready)).content.decode()
    assert f"Sans réponse de votre part {DEADLINE_TEXT}." in month_page
    validate_page = client(ready.beneficiary).get(url("validate", ready)).content.decode()
    assert f"Sans réponse de votre part {DEADLINE_TEXT}." in validate_page
    organisation_page = client(ready.of_user).get(url("month", ready)).content.decode()
    assert f"Sans réponse du bénéficiaire {DEADLINE_TEXT}." in organisation_page
    invitation = OutboxEmail.objects.get(kind="validation_requested")
    assert DEADLINE_TEXT in invitation.body_text


def test_the_beneficiary_is_reminded_once_after_three_days(
    ready: World,
    entered: Certificate,
    clock: time_machine.Coordinates,
    django_capture_on_commit_callbacks: Any,
) -> None:
    certify(ready, entered)
    clock.move_to(at(5, 8, 59))
    assert close_unanswered_months().reminded == 0

    clock.move_to(at(5, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert close_unanswered_months().reminded == 1
    clock.move_to(at(6, 9))
    assert close_unanswered_months().reminded == 0  # once

    (reminder,) = OutboxEmail.objects.filter(kind="answer_reminder")
    assert reminder.to == [ready.dossier.beneficiary.email]
    assert "Rappel : validez les heures" in reminder.subject
    assert f"Sans réponse de votre part {DEADLINE_TEXT}." in reminder.body_text
    certificate = Certificate.objects.get()
    assert certificate.status == MonthStatus.CERTIFIED
    assert certificate.answer_reminded_at == at(5, 9)
    (event,) = AuditEvent.objects.filter(action="certificate.answer_reminded")
    assert event.payload == {"deadline": "2026-04-11"}
    run_background_jobs()
    (sent,) = (m for m in mail.outbox if "Rappel" in m.subject)
    assert sent.to == reminder.to and DEADLINE_TEXT in sent.body


def test_past_the_deadline_the_month_is_validated_without_an_answer(
    ready: World, entered: Certificate, clock: time_machine.Coordinates, pdfsig: Any
) -> None:
    certify(ready, entered)
    webhook = listening_webhook(ready)
    clock.move_to(at(10, 23, 59))
    assert close_unanswered_months().validated == 0

    clock.move_to(at(11))
    assert close_unanswered_months().validated == 1
    assert close_unanswered_months().validated == 0  # once

    certificate = Certificate.objects.get()
    assert certificate.status == MonthStatus.VALIDATED
    assert certificate.validation_kind == ValidationKind.NO_ANSWER
    assert certificate.validated_at == at(11) and certificate.validated_by is None
    (event,) = AuditEvent.objects.filter(action="certificate.validated_without_answer")
    assert event.actor is None and event.payload == {"deadline": "2026-04-11"}
    (delivery,) = WebhookDelivery.objects.filter(webhook=webhook)
    assert delivery.event == "certificate.validated"
    assert delivery.payload["certificate"]["validation_kind"] == "no_answer"
    assert_the_final_version_says(certificate, "sans réponse du bénéficiaire", pdfsig)


def assert_the_final_version_says(certificate: Certificate, words: str, pdfsig: Any) -> None:
    """The final version is sealed (poppler and pyHanko accept it) and its evidence says
    how the month was validated."""
    version = latest_version(certificate)
    assert version is not None and version.reason == VersionReason.VALIDATION
    assert_sealed(pdf_of(certificate), pdfsig)
    evidence = CertificationEvidence.objects.get(version=version)
    assert words in json.dumps(evidence.data["validation"], ensure_ascii=False).lower()


def test_the_organisation_the_beneficiary_and_the_funder_are_told_once(
    ready: World, entered: Certificate, clock: time_machine.Coordinates
) -> None:
    certify(ready, entered)
    clock.move_to(at(11, 1))
    close_unanswered_months()
    close_unanswered_months()

    emails = OutboxEmail.objects.filter(kind="validated_instead").order_by("pk")
    beneficiary, parties = emails
    assert beneficiary.to == [ready.dossier.beneficiary.email]
    assert "Vous n'avez ni validé ni contesté dans le délai" in beneficiary.body_text
    assert FUNDER in parties.to and ready.of_user.email in parties.to
    assert ready.dossier.beneficiary.email not in parties.to  # their address stays theirs
    assert "validées sans réponse du bénéficiaire" in parties.body_text
    page = client(ready.of_user).get(url("month", ready)).content.decode()
    assert "Heures validées sans réponse du bénéficiaire dans le délai, le 11/04/2026" in page


def test_a_contested_month_stays_open(
    ready: World, entered: Certificate, clock: time_machine.Coordinates
) -> None:
    certified = certify(ready, entered)
    contest(ready, certified)
    clock.move_to(at(30))

    assert close_unanswered_months() == close_unanswered_months().__class__(0, 0)
    assert Certificate.objects.get().status == MonthStatus.CONTESTED
    assert not OutboxEmail.objects.filter(kind__in=["answer_reminder", "validated_instead"])


def test_the_command_runs_the_sweep_and_says_what_it_did(
    ready: World, entered: Certificate, clock: time_machine.Coordinates, capsys: Any
) -> None:
    certify(ready, entered)
    clock.move_to(at(5, 10))
    call_command("close_unanswered_months")
    clock.move_to(at(12))
    call_command("close_unanswered_months")

    said = capsys.readouterr().out
    assert "1 relance envoyée, 0 mois validé sans réponse du bénéficiaire." in said
    assert "0 relance envoyée, 1 mois validé sans réponse du bénéficiaire." in said


# -- An agent validates in the beneficiary's stead ----------------------------------------


def agent_url(world: World) -> str:
    return reverse("funder:validate", args=[world.dossier.number, 2026, 3])


def test_an_agent_validates_with_a_reason(ready: World, entered: Certificate, pdfsig: Any) -> None:
    certify(ready, entered)
    browser = client(ready.agent)
    month_page = browser.get(url("month", ready)).content.decode()
    assert agent_url(ready) in month_page and "Valider à la place du bénéficiaire" in month_page
    form = browser.get(agent_url(ready)).content.decode()
    assert "Motif de la validation (obligatoire)" in form and DEADLINE_TEXT in form

    done = browser.post(agent_url(ready), {"reason": "Heures confirmées par téléphone le 3."})

    assert done.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.status == MonthStatus.VALIDATED
    assert certificate.validation_kind == ValidationKind.AGENT
    assert certificate.validated_by == ready.agent
    assert certificate.validation_reason == "Heures confirmées par téléphone le 3."
    event = AuditEvent.objects.get(action="certificate.validated_by_agent")
    assert event.actor == ready.agent
    assert event.payload == {"reason": "Heures confirmées par téléphone le 3."}
    assert_the_final_version_says(certificate, "financeur", pdfsig)
    beneficiary, parties = OutboxEmail.objects.filter(kind="validated_instead").order_by("pk")
    assert "Heures confirmées par téléphone le 3." in beneficiary.body_text
    assert FUNDER in parties.to and ready.of_user.email in parties.to
    page = client(ready.of_user).get(url("month", ready)).content.decode()
    assert "Heures validées par Transitions Pro Grand Est à la place du bénéficiaire" in page
    assert "Heures confirmées par téléphone le 3." in page
    employer_page = client(ready.employer).get(url("month", ready)).content.decode()
    assert "Heures confirmées par téléphone le 3." not in employer_page


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Indiquez le motif de la validation."),
        ("   ", "Indiquez le motif de la validation."),
        ("x" * 1001, "Le motif tient en 1 000 caractères au plus."),
    ],
)
def test_without_a_reason_the_form_comes_back_with_its_message(
    ready: World, entered: Certificate, reason: str, message: str
) -> None:
    certify(ready, entered)

    again = client(ready.agent).post(agent_url(ready), {"reason": reason})

    assert again.status_code == 400
    page = again.content.decode()
    assert message.replace("'", "&#x27;") in page
    if reason.strip():
        assert reason in page  # what was typed comes back
    assert Certificate.objects.get().status == MonthStatus.CERTIFIED
    assert not AuditEvent.objects.filter(action="certificate.validated_by_agent").exists()


@pytest.mark.parametrize("role", ["beneficiary", "of_admin", "employer"])
def test_only_an_agent_validates_in_the_beneficiary_s_stead(
    ready: World, entered: Certificate, role: str
) -> None:
    certify(ready, entered)
    refused = client(ready.user(role)).post(agent_url(ready), {"reason": "Pourquoi pas."})
    assert refused.status_code == 403
    assert Certificate.objects.get().status == MonthStatus.CERTIFIED


def test_an_agent_cannot_validate_a_contested_month(ready: World, entered: Certificate) -> None:
    certified = certify(ready, entered)
    contest(ready, certified)

    refused = client(ready.agent).post(agent_url(ready), {"reason": "Heures confirmées."})

    assert refused.status_code == 409
    assert "n&#x27;attend pas la validation du bénéficiaire" in refused.content.decode()
    assert Certificate.objects.get().status == MonthStatus.CONTESTED


@pytest.mark.parametrize(
    ("validate", "status"),
    [
        ("no_answer", "Heures validées sans réponse du bénéficiaire"),
        ("agent", "Heures validées par le financeur"),
    ],
)
def test_the_status_says_who_validated_wherever_it_is_printed(
    ready: World,
    entered: Certificate,
    clock: time_machine.Coordinates,
    validate: str,
    status: str,
) -> None:
    certify(ready, entered)
    if validate == "no_answer":
        clock.move_to(at(11))
        close_unanswered_months()
    else:
        client(ready.agent).post(agent_url(ready), {"reason": "Confirmé par téléphone."})
    pages = {
        "the months": reverse("certificates:dossier", args=[ready.dossier.number]),
        "the month": url("month", ready),
        "« Mes certificats »": reverse("certificates:mine"),
    }

    for role in ("of_user", "beneficiary", "employer", "agent"):
        for name, address in pages.items():
            html = client(ready.user(role)).get(address).content.decode()
            assert status in html, (role, name)
            assert "Heures validées par le bénéficiaire" not in html, (role, name)
    funder = reverse("funder:dossier", args=[ready.dossier.number])
    assert status in client(ready.agent).get(funder).content.decode()
