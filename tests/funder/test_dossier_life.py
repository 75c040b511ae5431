"""A dossier's life: an early end (the months after it disappear unless they hold hours)
and interruptions (their months show « Formation interrompue » and open no entry); the
organisation, the beneficiary and the employer are told, and each change is audited."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.queries import month_rows
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier, Interruption, PlannedDay
from realisa.funder.dossier_life import end_early, interrupt, remove_interruption
from realisa.funder.month_overview import status_counts
from realisa.lib.errors import Invalid
from tests.certificates.test_entry_service import enter
from tests.conftest import World, run_background_jobs
from tests.factories import CertificateFactory, PlannedDayFactory

TODAY = date(2026, 7, 15)  # the world's dossier ran from 12 January to 19 June 2026


def statuses(dossier: Dossier, viewer) -> dict[str, MonthStatus]:
    dossier = Dossier.objects.get(pk=dossier.pk)
    return {f"{row.period.month:%Y-%m}": row.status for row in month_rows(dossier, viewer, TODAY)}


def test_an_early_end_removes_the_months_after_it_unless_they_hold_hours(world: World) -> None:
    dossier = world.dossier
    CertificateFactory(dossier=dossier, month=date(2026, 5, 1))  # entered before the news
    PlannedDayFactory(dossier=dossier, date=date(2026, 4, 1))
    PlannedDayFactory(dossier=dossier, date=date(2026, 4, 20))

    end_early(dossier, on=date(2026, 4, 10), reason="Abandon", actor=world.agent)

    assert list(statuses(dossier, world.of_user)) == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",  # it holds hours: kept
    ]
    dossier.refresh_from_db()
    assert dossier.last_day == date(2026, 4, 10) and dossier.end_date == date(2026, 6, 19)
    april = next(p for p in dossier.months() if p.month == date(2026, 4, 1))
    assert april.last_day == date(2026, 4, 10)  # April ends, and opens, on the last day
    assert list(PlannedDay.objects.filter(dossier=dossier).values_list("date", flat=True)) == [
        date(2026, 4, 1)
    ]
    event = AuditEvent.objects.get(action="dossier.ended_early")
    assert event.actor == world.agent
    assert event.payload["months_kept_with_hours"] == ["2026-05"]
    assert event.payload["planned_days_removed"] == 1


def test_an_interrupted_month_opens_no_entry(world: World) -> None:
    dossier = world.dossier
    interrupt(
        dossier,
        start=date(2026, 2, 20),
        end=date(2026, 4, 5),
        reason="Arrêt maladie",
        actor=world.agent,
    )
    shown = statuses(dossier, world.of_user)
    assert shown["2026-02"] == MonthStatus.AWAITING_ENTRY  # partly interrupted: open
    assert shown["2026-03"] == MonthStatus.INTERRUPTED
    assert shown["2026-04"] == MonthStatus.AWAITING_ENTRY
    assert MonthStatus.INTERRUPTED.label == "Formation interrompue"
    from realisa.certificates.lifecycle import NotNow

    with pytest.raises(NotNow) as refused:
        enter(dossier, world.of_user)  # March
    assert str(refused.value) == "Formation interrompue : ce mois n'ouvre pas de saisie."


def test_hours_entered_before_an_interruption_stay(world: World) -> None:
    dossier = world.dossier
    CertificateFactory(dossier=dossier, month=date(2026, 3, 1))
    interrupt(
        dossier, start=date(2026, 3, 1), end=date(2026, 3, 31), reason="Arrêt", actor=world.agent
    )
    assert statuses(dossier, world.of_user)["2026-03"] == MonthStatus.ENTERED


def test_removing_an_interruption_opens_its_months_again(world: World) -> None:
    dossier = world.dossier
    interruption = interrupt(
        dossier, start=date(2026, 3, 1), end=date(2026, 3, 31), reason="Arrêt", actor=world.agent
    )
    remove_interruption(interruption, actor=world.agent)
    assert statuses(dossier, world.of_user)["2026-03"] == MonthStatus.AWAITING_ENTRY
    assert AuditEvent.objects.filter(action="dossier.interruption_removed").exists()


@pytest.mark.parametrize(
    ("start", "end", "reason", "error"),
    [
        (
            date(2026, 3, 10),
            date(2026, 3, 1),
            "Arrêt",
            "La fin de l'interruption précède son début.",
        ),
        (
            date(2026, 1, 2),
            date(2026, 1, 20),
            "Arrêt",
            "L'interruption doit être comprise dans la formation (du 12/01/2026 au 19/06/2026).",
        ),
        (date(2026, 3, 1), date(2026, 3, 5), "  ", "Indiquez le motif de l'interruption"),
        (date(2026, 2, 25), date(2026, 3, 2), "Arrêt", "Cette période chevauche l'interruption"),
    ],
)
def test_a_wrong_interruption_is_refused_in_french(
    world: World, start: date, end: date, reason: str, error: str
) -> None:
    interrupt(
        world.dossier,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        reason="Arrêt maladie",
        actor=world.agent,
    )
    with pytest.raises(Invalid) as refused:
        interrupt(world.dossier, start=start, end=end, reason=reason, actor=world.agent)
    assert error in str(refused.value)
    assert Interruption.objects.count() == 1


def test_an_early_end_outside_the_training_is_refused(world: World) -> None:
    with pytest.raises(Invalid) as refused:
        end_early(world.dossier, on=date(2026, 6, 19), reason="Abandon", actor=world.agent)
    assert "avant sa fin prévue (du 12/01/2026 au 19/06/2026)" in str(refused.value)
    with pytest.raises(Invalid):
        end_early(world.dossier, on=date(2026, 3, 1), reason="", actor=world.agent)
    world.dossier.refresh_from_db()
    assert world.dossier.ended_on is None


def test_the_parties_are_told(world: World, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        end_early(world.dossier, on=date(2026, 4, 10), reason="Embauche en CDI", actor=world.agent)
    run_background_jobs()
    addresses = {address for message in mail.outbox for address in message.to}
    beneficiary = world.dossier.beneficiary
    assert beneficiary.email in addresses
    assert world.employer.email in addresses
    assert world.dossier.organisation.email in addresses or world.of_admin.email in addresses
    (to_beneficiary,) = [m for m in mail.outbox if m.to == [beneficiary.email]]
    assert to_beneficiary.subject == (
        f"Dossier {world.dossier.number} : fin anticipée de la formation"
    )
    assert "son dernier jour est le 10/04/2026" in to_beneficiary.body
    assert "Motif : Embauche en CDI" in to_beneficiary.body


def test_the_agent_records_both_from_the_dossier_page(world: World, client: Client) -> None:
    client.force_login(world.agent)
    url = reverse("funder:dossier", args=[world.dossier.number])
    refused = client.post(
        url,
        {
            "action": "interrupt",
            "interruption-start": "2026-03-10",
            "interruption-end": "2026-03-01",
            "interruption-reason": "Arrêt",
        },
    )
    assert "La fin de l&#x27;interruption précède son début." in refused.text
    assert 'value="Arrêt"' in refused.text  # what was typed comes back
    done = client.post(
        url,
        {
            "action": "interrupt",
            "interruption-start": "2026-03-01",
            "interruption-end": "2026-03-31",
            "interruption-reason": "Arrêt maladie",
        },
        follow=True,
    )
    text = unescape(done.text)
    assert "Interruption enregistrée du 01/03/2026 au 31/03/2026." in text
    assert "Interrompue du 01/03/2026 au 31/03/2026 — Arrêt maladie" in text
    assert "Formation interrompue" in text
    ended = client.post(
        url,
        {"action": "end_early", "fin-on": "2026-04-10", "fin-reason": "Abandon"},
        follow=True,
    )
    assert "Fin anticipée enregistrée : le dernier jour de formation est le 10/04/2026." in (
        unescape(ended.text)
    )
    organisation_page = client.get(reverse("certificates:dossier", args=[world.dossier.number]))
    assert "Fin anticipée de la formation : dernier jour le 10/04/2026. Motif : Abandon" in (
        unescape(organisation_page.text)
    )
    # The payment form still works as before, without an action.
    assert client.post(url, {"period_start": ""}).status_code == 200


def test_the_dashboard_counts_an_interrupted_month_and_drops_ended_ones(world: World) -> None:
    interrupt(
        world.dossier,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        reason="Arrêt",
        actor=world.agent,
    )
    march = dict(status_counts(date(2026, 3, 1), TODAY))
    assert march[MonthStatus.INTERRUPTED] == 1
    end_early(world.dossier, on=date(2026, 4, 10), reason="Abandon", actor=world.agent)
    may = dict(status_counts(date(2026, 5, 1), TODAY))
    assert sum(may.values()) == 1  # the other dossier only
