"""« Certifier en lot » from its pages: tick, summary, one code from the e-mail, result."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate, CertificationBatch
from realisa.choices import MonthStatus
from realisa.notifications.models import OutboxEmail
from tests.conftest import World
from tests.factories import BeneficiaryFactory, DossierFactory
from tests.online.conftest import enter

pytestmark = pytest.mark.django_db
NEW = reverse("certificates:batch_new")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def signed_in(user: object) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox/128.0")
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def two_trainees(ready: World) -> list[Certificate]:
    """March of the world's dossier and of a second trainee's, entered."""
    second = DossierFactory(
        organisation=ready.dossier.organisation,
        beneficiary=BeneficiaryFactory(with_login=True, last_name="Zola"),
    )
    march = enter(ready)
    ready.dossier, kept = second, ready.dossier
    other = enter(ready, gap_reason="Pas de calendrier pour ce dossier")
    ready.dossier = kept
    return [march, other]


def the_code() -> str:
    email = OutboxEmail.objects.get(kind="batch_code")
    return re.search(r"^(\d{4})$", email.body_text, re.MULTILINE).group(1)  # type: ignore[union-attr]


def test_ticking_then_one_code_certifies_both_trainees(
    ready: World, two_trainees: list[Certificate]
) -> None:
    browser = signed_in(ready.of_user)
    page = text_of(browser.get(NEW).text)
    assert "2 mois à certifier pour 2 stagiaires" in page
    assert "40 h en centre, 14 h en stage, 2 h d'absence ; 1 mois avec un écart au prévu" in page
    assert "Mars 2026 20 h 7 h 1 h -1 h" in page
    assert "Julie ZOLA Mars 2026 20 h 7 h 1 h pas de calendrier" in page
    response = browser.post(NEW, {"months": [c.pk for c in two_trainees]})
    batch = CertificationBatch.objects.get()
    assert response.url == reverse("certificates:batch", args=[batch.pk])
    summary = text_of(browser.get(response.url).text)
    assert "Envoyer le code de vérification par email" in summary and "ZOLA" in summary
    sent = text_of(
        browser.post(reverse("certificates:batch_send", args=[batch.pk]), follow=True).text
    )
    assert "Un code de vérification a été envoyé à" in sent
    assert "Certifier les 2 mois" in sent
    done = browser.post(
        reverse("certificates:batch_code", args=[batch.pk]), {"code": the_code()}, follow=True
    )
    result = text_of(done.text)
    assert "Lot terminé : 2 mois certifiés." in result
    assert "Télécharger le manifeste scellé du lot" in result
    assert {c.status for c in Certificate.objects.all()} == {MonthStatus.CERTIFIED}
    polled = browser.get(
        reverse("certificates:batch_progress", args=[batch.pk]), HTTP_HX_REQUEST="true"
    )
    assert polled["HX-Refresh"] == "true"  # done: the whole page again, its links sealed
    manifest = browser.get(reverse("certificates:batch_manifest", args=[batch.pk]))
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/pdf"


def test_a_wrong_code_is_said_next_to_the_field_and_certifies_nothing(
    ready: World, two_trainees: list[Certificate]
) -> None:
    browser = signed_in(ready.of_user)
    browser.post(NEW, {"months": [two_trainees[0].pk]})
    batch = CertificationBatch.objects.get()
    browser.post(reverse("certificates:batch_send", args=[batch.pk]))
    wrong = "0000" if the_code() != "0000" else "1111"
    response = browser.post(reverse("certificates:batch_code", args=[batch.pk]), {"code": wrong})
    assert response.status_code == 409
    assert "Code erroné. Il vous reste 2 essais pour ce code." in text_of(response.text)
    short = browser.post(reverse("certificates:batch_code", args=[batch.pk]), {"code": "12"})
    assert short.status_code == 422 and "Cet essai n'est pas compté" in text_of(short.text)
    assert Certificate.objects.get(pk=two_trainees[0].pk).status == MonthStatus.ENTERED


def test_filters_keep_one_month(ready: World, two_trainees: list[Certificate]) -> None:
    enter(ready, month=date(2026, 2, 1), gap_reason="Pas de calendrier en février")
    page = text_of(signed_in(ready.of_user).get(NEW, {"month": "2026-02"}).text)
    assert "1 mois à certifier pour 1 stagiaire" in page


def test_without_the_certification_box_the_page_says_why(ready: World) -> None:
    page = text_of(signed_in(ready.of_admin).get(NEW).text)
    assert "La certification 100 % dématérialisée n'est pas proposée" in page
    assert "certification des certificats de réalisation" in page


def test_another_person_s_batch_is_not_found(ready: World, two_trainees: list[Certificate]) -> None:
    signed_in(ready.of_user).post(NEW, {"months": [two_trainees[0].pk]})
    batch = CertificationBatch.objects.get()
    for user in (ready.of_admin, ready.other_of_user):
        response = signed_in(user).get(reverse("certificates:batch", args=[batch.pk]))
        assert response.status_code == 404
