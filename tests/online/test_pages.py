"""Certification 2 through its pages: who is offered it, the code window, the beneficiary's
validation or contest, and the correction that follows a contest."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.models import BeneficiaryResponse, Certificate, OneTimeCode
from realisa.certificates.online import request_code
from realisa.choices import BeneficiaryDecision, MonthStatus, VersionReason
from realisa.documents.services import latest_version
from realisa.notifications.models import OutboxEmail
from tests.conftest import World
from tests.online.conftest import AGENT, HOUR, IP, Hours, enter, web
from tests.online.test_sealed_versions import certify

pytestmark = pytest.mark.django_db
MARCH = ["2026", "3"]


def url(name: str, world: World) -> str:
    return reverse(f"certificates:{name}", args=[world.dossier.number, 2026, 3])


def client(user: Any) -> Client:
    browser = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    browser.force_login(user)
    return browser


def test_the_month_page_offers_certification_2_to_a_certifier_of_an_online_ready_organisation(
    ready: World, entered: Certificate
) -> None:
    page = client(ready.of_user).get(url("month", ready)).content.decode()

    assert "Certification 2 : 100 % dématérialisée" in page
    assert url("online", ready) in page
    assert "Étape 2 : déposer le certificat signé" in page  # certification 1 stays


def test_the_month_page_says_which_condition_is_missing(ready: World, entered: Certificate) -> None:
    organisation = ready.dossier.organisation
    organisation.stamp = ""
    organisation.save(update_fields=["stamp"])

    page = client(ready.of_admin).get(url("month", ready)).content.decode()

    assert "La certification 100 % dématérialisée (certification 2) n'est pas proposée" in page
    assert "le cachet de l&#x27;organisme n&#x27;est pas renseigné" in page
    assert "la case « certification des certificats de réalisation »" in page
    assert url("online", ready) not in page
    assert client(ready.of_admin).get(url("online", ready)).status_code == 403


def test_sending_then_typing_the_code_certifies_from_the_pages(
    ready: World, entered: Certificate
) -> None:
    browser = client(ready.of_user)
    window = browser.get(url("online", ready)).content.decode()
    assert "Envoyer le code de vérification par email" in window

    sent = browser.post(url("online_send", ready), follow=True).content.decode()
    assert "Continuer" in sent and "Le code de vérification a été envoyé par e-mail" in sent
    email = OutboxEmail.objects.get(kind="online_code")
    code = re.search(r"^(\d{4})$", email.body_text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    page = browser.get(url("online_code", ready)).content.decode()
    assert "Attention code valable ¼ d'heure" in page

    done = browser.post(url("online_code", ready), {"code": code}, follow=True)

    assert "Les heures sont certifiées" in done.content.decode()
    assert Certificate.objects.get().status == MonthStatus.CERTIFIED


def test_a_wrong_code_comes_back_with_the_reason(ready: World, entered: Certificate) -> None:
    code = request_code(entered, actor=ready.of_user, request=web(ready.of_user)).code
    wrong = f"{(int(code) + 1) % 10_000:04d}"

    response = client(ready.of_user).post(url("online_code", ready), {"code": wrong})

    assert response.status_code == 409
    assert "Code erroné. Il vous reste 2 essais pour ce code." in response.content.decode()
    assert OneTimeCode.objects.get().attempts == 1  # kept although the page refused


def test_the_beneficiary_validates_and_time_ip_and_browser_are_recorded(
    ready: World, entered: Certificate
) -> None:
    certify(ready, entered)
    browser = client(ready.beneficiary)
    month_page = browser.get(url("month", ready)).content.decode()
    assert url("validate", ready) in month_page
    assert "Valider les heures" in browser.get(url("validate", ready)).content.decode()

    browser.post(url("validate", ready), {"action": "validate"})

    response = BeneficiaryResponse.objects.get()
    assert response.decision == BeneficiaryDecision.VALIDATED
    assert (response.ip, response.user_agent) == (IP, AGENT)
    assert Certificate.objects.get().status == MonthStatus.VALIDATED
    assert AuditEvent.objects.get(action="certificate.validated").ip == IP


def test_a_contest_needs_a_comment_and_tells_the_organisation_and_the_funder(
    ready: World, entered: Certificate
) -> None:
    certify(ready, entered)
    browser = client(ready.beneficiary)
    empty = browser.post(url("validate", ready), {"action": "contest", "comment": " "})
    assert empty.status_code == 400
    assert "Indiquez ce qui ne va pas dans ces heures." in empty.content.decode()

    browser.post(url("validate", ready), {"action": "contest", "comment": "J'étais absente le 3."})

    assert Certificate.objects.get().status == MonthStatus.CONTESTED
    email = OutboxEmail.objects.get(kind="hours_contested")
    assert "certificats@transitionspro-ge.localhost" in email.to
    assert ready.of_user.email in email.to and "J'étais absente le 3." in email.body_text
    page = client(ready.of_user).get(url("month", ready)).content.decode()
    assert "Heures contestées par le bénéficiaire le" in page and "Modifier les heures" in page


def test_the_organisation_corrects_contested_hours_and_certifies_again(
    ready: World, entered: Certificate, clock: Any
) -> None:
    certified = certify(ready, entered)
    browser = client(ready.beneficiary)
    browser.post(url("validate", ready), {"action": "contest", "comment": "Une heure de trop."})
    clock.shift(timedelta(minutes=5))

    version = Certificate.objects.get().version
    corrected = enter(ready, version=version, hours=Hours(19 * HOUR, 7 * HOUR, 2 * HOUR))
    assert corrected.status == MonthStatus.ENTERED
    again = certify(ready, corrected)

    assert again.status == MonthStatus.CERTIFIED and again.centre_minutes == 19 * HOUR
    reasons = list(again.versions.order_by("number").values_list("reason", flat=True))
    assert reasons == [
        VersionReason.ENTRY,
        VersionReason.CERTIFICATION,
        VersionReason.ENTRY,
        VersionReason.CERTIFICATION,
    ]
    assert certified.pk == again.pk


@pytest.mark.parametrize("role", ["agent", "of_user", "employer"])
def test_only_the_beneficiary_validates(ready: World, entered: Certificate, role: str) -> None:
    certify(ready, entered)

    response = client(ready.user(role)).post(url("validate", ready), {"action": "validate"})

    assert response.status_code == 403
    assert Certificate.objects.get().status == MonthStatus.CERTIFIED


def test_the_verification_page_checks_the_seal_of_an_uploaded_pdf(
    ready: World, entered: Certificate
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = latest_version(certify(ready, entered))
    assert version is not None
    with version.file.open("rb") as handle:
        upload = SimpleUploadedFile("certificat.pdf", handle.read(), "application/pdf")

    page = Client().post(reverse("documents:verify"), {"file": upload}).content.decode()

    assert "Ce fichier est authentique" in page
    assert "Le sceau électronique est valide : le document n&#x27;a pas changé depuis." in page
    assert "Scellé pour" in page and ready.dossier.organisation.name in page
    assert "reconnu (sceau du portail)" in page
