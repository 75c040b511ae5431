"""Payments that explain themselves: a payment locks the entry, not the certification; the
agent confirms a payment over months whose hours are not certified yet (the CSV import and
the API report it as a row's warning); a period outside the training is clipped to it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from realisa.certificates import lifecycle
from realisa.certificates.lifecycle import Event, NotNow
from realisa.choices import MonthStatus
from realisa.dossiers.models import Payment
from realisa.funder.payment_import import LineWarning, import_payments
from realisa.funder.payments import PaymentData, record_payment
from tests.conftest import World
from tests.factories import CertificateFactory
from tests.funder.conftest import FEBRUARY, MARCH, certified

ENTERED_WARNING = (
    "Des heures saisies ne sont pas encore certifiées (février 2026) : ce règlement en "
    "verrouille la saisie. L'organisme pourra les certifier, mais plus les corriger."
)
CONTESTED_WARNING = (
    "Des heures sont contestées par le bénéficiaire (mars 2026) : ce règlement empêche "
    "l'organisme de les corriger."
)


def february_and_march(is_advance: bool = False) -> PaymentData:
    return PaymentData(
        date(2026, 2, 1), date(2026, 3, 31), Decimal("2000"), date(2026, 4, 20), is_advance
    )


def test_hours_entered_before_a_payment_can_be_certified_but_not_changed(world: World) -> None:
    month = CertificateFactory(dossier=world.dossier, month=FEBRUARY)
    record_payment(world.dossier, february_and_march(), actor=world.agent)
    state = lifecycle.check(month, Event.CERTIFIED_PAPER)
    assert (state.status, state.paid) == (MonthStatus.ENTERED, True)
    with pytest.raises(NotNow) as refused:
        lifecycle.check(month, Event.ENTERED)
    assert refused.value.args[0] == (
        "La saisie n'est plus disponible car des règlements ont été faits dans la période"
    )


def test_the_organisation_still_sees_its_entered_hours_and_may_certify_them(
    world: World,
) -> None:
    CertificateFactory(dossier=world.dossier, month=FEBRUARY)
    record_payment(world.dossier, february_and_march(), actor=world.agent)
    client = Client()
    client.force_login(world.of_admin)
    page = unescape(
        client.get(reverse("certificates:dossier", args=[world.dossier.number])).content.decode()
    )
    assert "Heures saisies, en attente de certification" in page
    assert "Saisir les heures de février 2026" not in page


def post_payment(client: Client, world: World, **extra: str) -> tuple[int, str]:
    data = {
        "action": "payment",
        "period_start": "2026-02-01",
        "period_end": "2026-03-31",
        "amount": "2000",
        "paid_on": "2026-04-20",
        **extra,
    }
    url = reverse("funder:dossier", args=[world.dossier.number])
    response = client.post(url, data, follow=True)
    return response.status_code, unescape(response.content.decode())


def test_the_form_warns_over_uncertified_hours_and_records_once_confirmed(
    world: World, agent_client: Client
) -> None:
    CertificateFactory(dossier=world.dossier, month=FEBRUARY)
    CertificateFactory(dossier=world.dossier, month=MARCH, status=MonthStatus.CONTESTED)
    status, page = post_payment(agent_client, world)
    assert status == 200 and not Payment.objects.exists()
    assert f"{ENTERED_WARNING} {CONTESTED_WARNING}" in page
    assert 'name="confirmed" value="2026-02,2026-03"' in page
    assert "Enregistrer quand même" in page
    assert 'value="2026-02-01"' in page  # what was typed comes back
    status, page = post_payment(agent_client, world, confirmed="2026-02,2026-03")
    assert "Règlement enregistré : la saisie est désormais verrouillée pour" in page
    assert Payment.objects.count() == 1


def test_a_confirmation_holds_only_for_the_months_it_was_shown(
    world: World, agent_client: Client
) -> None:
    CertificateFactory(dossier=world.dossier, month=FEBRUARY)
    CertificateFactory(dossier=world.dossier, month=MARCH)  # entered after the warning
    _, page = post_payment(agent_client, world, confirmed="2026-02")
    assert not Payment.objects.exists()
    assert "(février 2026, mars 2026)" in page


@pytest.mark.parametrize("kind", ["advance", "certified"])
def test_no_warning_for_an_advance_or_certified_hours(
    world: World, agent_client: Client, kind: str
) -> None:
    if kind == "certified":
        certified(world.dossier, FEBRUARY)
    extra = {"is_advance": "on"} if kind == "advance" else {}
    _, page = post_payment(agent_client, world, **extra)
    assert Payment.objects.count() == 1
    assert "ne sont pas encore certifiées" not in page


def test_the_form_clips_a_period_to_the_training_and_says_so(
    world: World, agent_client: Client
) -> None:
    # the training runs from 12 January to 19 June 2026
    _, page = post_payment(agent_client, world, period_start="2026-01-01", period_end="2026-01-31")
    payment = Payment.objects.get()
    assert (payment.period_start, payment.period_end) == (date(2026, 1, 12), date(2026, 1, 31))
    assert "Période ramenée aux dates de la formation : du 12/01/2026 au 31/01/2026." in page


def payment_file(world: World, *lines: str) -> bytes:
    body = "\r\n".join(["dossier;debut;fin;montant;date;avance", *lines])
    return body.replace("{n}", world.dossier.number).encode()


def test_the_import_clips_periods_and_warns_line_by_line(world: World) -> None:
    CertificateFactory(dossier=world.dossier, month=FEBRUARY)
    content = payment_file(
        world,
        "{n};01/01/2026;31/01/2026;900;20/02/2026;non",
        "{n};01/02/2026;28/02/2026;1200;20/03/2026;non",
        "{n};01/06/2026;30/06/2026;700;20/07/2026;non",
    )
    imported = import_payments(content, actor=world.agent)
    assert len(imported.payments) == 3
    assert imported.warnings == [
        LineWarning(2, "Période ramenée aux dates de la formation : du 12/01/2026 au 31/01/2026."),
        LineWarning(3, ENTERED_WARNING),
        LineWarning(4, "Période ramenée aux dates de la formation : du 01/06/2026 au 19/06/2026."),
    ]
    assert sorted(Payment.objects.values_list("period_start", flat=True)) == [
        date(2026, 1, 12),
        date(2026, 2, 1),
        date(2026, 6, 1),
    ]


def test_the_import_page_shows_each_warning_with_its_line(
    world: World, agent_client: Client
) -> None:
    CertificateFactory(dossier=world.dossier, month=FEBRUARY)
    upload = SimpleUploadedFile(
        "reglements.csv", payment_file(world, "{n};01/02/2026;28/02/2026;1200;20/03/2026;non")
    )
    response = agent_client.post(reverse("funder:payment_import"), {"file": upload}, follow=True)
    page = unescape(response.content.decode())
    assert "1 règlement enregistré ou corrigé." in page
    assert f"Ligne 2 : {ENTERED_WARNING}" in page
