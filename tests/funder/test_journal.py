"""« Journal »: a sentence per event, the payload as labelled fields, the filters, the
pages, the CSV, and who may read it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType as E
from realisa.audit.log import record
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate, OneTimeCode
from realisa.choices import Role
from realisa.funder.journal import entries
from realisa.funder.journal_fields import Field, fields_of
from realisa.funder.journal_sentences import SENTENCES
from realisa.lib.french import de
from tests.conftest import World
from tests.factories import CertificateFactory, DossierFactory, PaymentFactory, UserFactory
from tests.funder.conftest import FEBRUARY, certified
from tests.funder.journal_samples import SAMPLES

REPRS = ("{'", '{"', "['", "None", "True", "False", "[]", "{}")


def online_certification(world: World, *, wrong_tries: int) -> Certificate:
    """November 2026 of dossier FPE-2026-0001, certified online by Nadia Benali, whose
    code was right after ``wrong_tries`` wrong ones."""
    nadia = UserFactory(
        role=Role.OF_USER,
        organisation=world.dossier.organisation,
        first_name="Nadia",
        last_name="Benali",
        username="nadia.benali",
    )
    dossier = DossierFactory(
        number="FPE-2026-0001",
        organisation=world.dossier.organisation,
        start_date=date(2026, 9, 7),
        end_date=date(2027, 3, 26),
    )
    month = CertificateFactory(dossier=dossier, month=date(2026, 11, 1), certified=True)
    code = OneTimeCode.objects.create(
        certificate=month,
        user=nadia,
        code_hmac="0" * 64,
        version_sha256="1" * 64,
        sent_to="nadia@example.org",
        expires_at=timezone.now(),
        attempts=wrong_tries,
    )
    payload = {"method": "online", "dossier": dossier.number, "month": "2026-11", "code": code.pk}
    record(E.CERTIFIED, actor=nadia, obj=month, payload=payload)
    return month


# -- The sentences ------------------------------------------------------------------------


def test_every_event_type_has_its_sentence_and_a_sample() -> None:
    assert set(SENTENCES) == set(E) and set(SAMPLES) == set(E)


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(E))
def test_each_sentence_reads_as_french_without_a_python_repr(action: E) -> None:
    recorded = AuditEvent(action=action, payload=SAMPLES[action], actor_username="agent")
    bare = AuditEvent(action=action, payload={})  # the portal's own, its payload lost
    written, unknown = entries([recorded, bare])
    # The portal's own, even upon someone's act
    by_the_portal = action in (E.PDF_GENERATED, E.PDF_SEALED, E.PDF_RETIMESTAMPED)
    assert written.sentence.startswith("Réalisa a " if by_the_portal else "agent a ")
    assert unknown.sentence.startswith("Réalisa a ")
    for entry in (written, unknown):
        assert not any(text in entry.sentence for text in REPRS), entry.sentence
        assert all(not any(text in f.text for text in REPRS) for f in entry.fields)


def test_an_online_certification_says_who_which_month_and_at_which_try(world: World) -> None:
    month = online_certification(world, wrong_tries=1)
    (entry,) = entries(AuditEvent.objects.filter(object_id=str(month.pk)))
    assert entry.sentence == (
        "Nadia Benali a certifié en ligne les heures de novembre 2026 du dossier "
        "FPE-2026-0001 (code saisi à la 2e tentative)"
    )


def test_the_sentence_names_the_month_and_the_organisation_from_their_rows(
    world: World,
) -> None:
    month = certified(world.dossier, date(2026, 4, 1))
    record(E.VALIDATED, actor=world.beneficiary, obj=month, payload={"response": 1})
    organisation = world.dossier.organisation
    record(E.IDENTITY_UPDATED, actor=world.of_admin, obj=organisation, payload={})
    record(E.ACCOUNT_DEACTIVATED, actor=world.of_admin, obj=world.of_user)
    validated, identity, deactivated = entries(AuditEvent.objects.order_by("id"))
    assert validated.sentence == (
        f"{world.beneficiary.get_full_name()} a validé les heures d'avril 2026 du dossier "
        f"{world.dossier.number}"
    )
    assert identity.sentence.endswith(f"a modifié « Votre identité » {de(organisation.name)}")
    assert deactivated.sentence.endswith(
        f"a désactivé le compte de {world.of_user.get_full_name()}"
    )


def test_an_event_of_the_portal_itself_is_signed_realisa(world: World) -> None:
    record(
        E.ANSWER_REMINDED,
        obj=certified(world.dossier, FEBRUARY),
        payload={"deadline": "2026-03-20"},
    )
    (entry,) = entries(AuditEvent.objects.all())
    assert entry.who == "Réalisa"
    assert entry.sentence.startswith("Réalisa a relancé le bénéficiaire")
    assert entry.sentence.endswith("avant le 20/03/2026")


# -- The labelled payload -------------------------------------------------------------


def test_the_payload_reads_as_labelled_fields() -> None:
    assert fields_of(SAMPLES[E.PAYMENT_UPDATED]) == [
        Field("Dossier", "T-1"),
        Field("Référence", "VIR-1"),
        Field(
            "Modifications",
            "Montant : 1\u202f500,00 € → 1\u202f600,00 €, Payé le : 20/03/2026 → 21/03/2026",
        ),
        Field("Mois verrouillés", "février 2026"),
    ]
    # in the labels' order, whatever the recorded one (PostgreSQL's jsonb keeps its own)
    assert fields_of({"is_advance": True, "new": {"internship": 0, "centre": 450}}) == [
        Field("Heures saisies", "7 h 30 en centre, 0 h en stage"),
        Field("Avance", "Oui"),
    ]


def test_a_correction_line_says_what_it_corrects_and_by_how_much(world: World) -> None:
    month = certified(world.dossier, FEBRUARY)
    payload = {
        "transmission": 2,
        "line": "T-1/2026-02/2",
        "type": "correction",
        "corrects": {"transmission_id": 1, "line": "T-1/2026-02/1"},
        "delta": {"centre_minutes": -90, "internship_minutes": 60, "absence_minutes": 0},
    }
    record(E.TRANSMITTED, actor=world.agent, obj=month, payload=payload)
    (entry,) = entries(AuditEvent.objects.all())
    assert entry.sentence == (
        f"{world.agent.get_full_name()} a transmis une correction des heures de février 2026 "
        f"du dossier {world.dossier.number} (transmission n° 2, qui corrige la ligne "
        "T-1/2026-02/1)"
    )
    assert entry.fields[2:] == [
        Field("Type de ligne", "correction"),
        Field("Corrige", "Transmission n° : 1, Ligne : T-1/2026-02/1"),
        Field(
            "Écart d'heures",
            "Heures en centre : -1 h 30, Heures en stage : +1 h, Heures d'absence : 0 h",
        ),
    ]


def test_an_unknown_key_reads_as_its_words() -> None:
    assert fields_of({"number_of_things": None}) == [Field("Number of things", "—")]


def test_the_dossier_page_shows_sentences_and_fields_not_a_repr(
    world: World, agent_client: Client
) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    request.user = world.agent
    payment = PaymentFactory(dossier=world.dossier)
    record(E.PAYMENT_RECORDED, obj=payment, payload=SAMPLES[E.PAYMENT_RECORDED], request=request)
    page = agent_client.get(reverse("funder:audit_dossier", args=[world.dossier.number])).text
    assert "a enregistré un règlement de 1\u202f500,00 €" in page
    assert "<dt>Montant</dt><dd>1\u202f500,00 €</dd>" in page and "198.51.100.4" in page
    assert "{&#x27;" not in page and "None" not in page


# -- The journal page -----------------------------------------------------------------


def journal(client: Client, **query: Any) -> str:
    response = client.get(reverse("funder:journal"), query)
    assert response.status_code == 200
    return str(response.text)


def test_the_journal_is_newest_first_50_a_page(world: World, agent_client: Client) -> None:
    for n in range(51):
        record(E.INVITATION_RESENT, actor=world.agent, payload={"username": f"personne{n}"})
    first, second = journal(agent_client), journal(agent_client, page=2)
    assert first.count("a renvoyé l&#x27;invitation de") == 50 and "personne50" in first
    assert first.index("personne50") < first.index("personne49")
    assert "personne0<" not in first and "personne0<" in second and "Page 2 sur 2" in second


def test_the_pages_keep_the_filters(world: World, agent_client: Client) -> None:
    for n in range(51):
        record(E.INVITATION_RESENT, actor=world.agent, payload={"username": f"personne{n}"})
    page = journal(agent_client, type=E.INVITATION_RESENT)
    assert "?type=account.invitation_resent&amp;page=2" in page


@pytest.fixture
def two_organisations(world: World) -> World:
    """Events of the world's dossier, organisation and member, and of the other ones."""
    for dossier, member in (
        (world.dossier, world.of_user),
        (world.other_dossier, world.other_of_user),
    ):
        month = certified(dossier, FEBRUARY)
        record(E.CERTIFIED, actor=member, obj=month, payload={"method": "paper"})
        record(E.PAYMENT_RECORDED, actor=world.agent, obj=PaymentFactory(dossier=dossier))
        record(E.DOSSIER_UPDATED, actor=world.agent, obj=dossier, payload={})
        record(E.ACCOUNT_REACTIVATED, actor=world.agent, obj=member)
        record(E.IDENTITY_UPDATED, actor=member, obj=dossier.organisation)
    return world


def numbers_in(page: str, world: World) -> tuple[bool, bool]:
    return world.dossier.number in page, world.other_dossier.number in page


def test_the_dossier_filter_keeps_its_months_payments_and_itself(
    two_organisations: World, agent_client: Client
) -> None:
    world = two_organisations
    page = journal(agent_client, dossier=world.dossier.number.lower())
    assert "3 événements" in page and numbers_in(page, world) == (True, False)
    assert "a certifié sur papier" in page and "a enregistré un règlement" in page


def test_the_organisation_filter_adds_its_members_and_itself(
    two_organisations: World, agent_client: Client
) -> None:
    world = two_organisations
    page = journal(agent_client, organisme=world.dossier.organisation.siret)
    assert "5 événements" in page and numbers_in(page, world) == (True, False)
    assert f"<td>{world.of_user.get_full_name()}<" in page
    assert f"<td>{world.other_of_user.get_full_name()}<" not in page


def test_the_person_filter_reads_names_and_usernames(
    two_organisations: World, agent_client: Client
) -> None:
    world = two_organisations
    User.objects.filter(pk=world.of_user.pk).update(first_name="Nadia", last_name="Benali")
    by_name = journal(agent_client, personne="BENALI nadia")
    by_username = journal(agent_client, personne=world.of_user.username)
    assert "2 événements" in by_name and "2 événements" in by_username
    assert "a certifié sur papier" in by_name and numbers_in(by_name, world) == (True, False)


def test_the_type_filter(two_organisations: World, agent_client: Client) -> None:
    page = journal(agent_client, type=E.CERTIFIED)
    assert "2 événements" in page and page.count("a certifié sur papier") == 2


def test_the_period_filter_takes_whole_days_in_paris_time(
    world: World, agent_client: Client
) -> None:
    moments = {"deux.mars": "2026-03-01T23:30:00+00:00", "trois.mars": "2026-03-02T23:30:00+00:00"}
    for username, moment in moments.items():  # 00:30 in Paris on 2 and 3 March
        with time_machine.travel(datetime.fromisoformat(moment), tick=False):
            record(E.INVITATION_RESENT, actor=world.agent, payload={"username": username})
    page = journal(agent_client, du="2026-03-02", au="2026-03-02")
    assert "1 événement," in page and "deux.mars" in page and "trois.mars" not in page
    assert "2 événements" in journal(agent_client, du="2026-03-02")
    assert "Aucun événement ne correspond" in journal(agent_client, au="2026-03-01")


def test_a_wrong_filter_is_said_and_does_not_break_the_page(
    world: World, agent_client: Client
) -> None:
    page = journal(agent_client, type="nope", du="31/02/2026", organisme="x")
    assert "errorlist" in page


# -- The CSV --------------------------------------------------------------------------


def test_the_csv_has_the_filtered_events_in_the_same_words(
    two_organisations: World, agent_client: Client
) -> None:
    world = two_organisations
    response = agent_client.get(reverse("funder:journal_export"), {"type": E.PAYMENT_RECORDED})
    assert response["Content-Disposition"] == 'attachment; filename="journal.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffDate (UTC);Qui;Type;Événement;Adresse IP;Détails\r\n")
    lines = text.strip().split("\r\n")[1:]
    assert len(lines) == 2
    event = AuditEvent.objects.filter(action=E.PAYMENT_RECORDED).order_by("-id").first()
    assert event is not None
    moment = event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert lines[0].startswith(f"{moment};{world.agent.get_full_name()};Règlement enregistré;")
    assert "a enregistré un règlement de" in lines[0] and world.other_dossier.number in lines[0]


def test_the_csv_details_are_labelled_text(world: World, agent_client: Client) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    request.user = world.agent
    record(
        E.DOSSIER_INTERRUPTED,
        obj=world.dossier,
        payload=SAMPLES[E.DOSSIER_INTERRUPTED],
        request=request,
    )
    text = b"".join(agent_client.get(reverse("funder:journal_export")).streaming_content).decode()
    row = text.strip().split("\r\n")[1].split(";")
    assert row[4] == "198.51.100.4"
    assert row[5] == (
        "Dossier : T-1 | Interruption n° : 4 | Début : 02/03/2026 | Fin : 13/03/2026 | "
        "Motif : Maladie"
    )


def test_a_typed_text_is_never_a_formula_in_the_csv(world: World, agent_client: Client) -> None:
    User.objects.filter(pk=world.agent.pk).update(first_name="=HYPERLINK(1)", last_name="")
    record(E.INVITATION_RESENT, actor=world.agent, payload={"username": "paul"})
    text = b"".join(agent_client.get(reverse("funder:journal_export")).streaming_content).decode()
    row = text.strip().split("\r\n")[1].split(";")
    assert row[1] == "'=HYPERLINK(1)" and row[3].startswith("'=HYPERLINK(1) a renvoyé")


# -- Who may read it, and what it costs -------------------------------------------------


@pytest.mark.parametrize("role", ["of_admin", "of_user", "beneficiary", "employer"])
@pytest.mark.parametrize("name", ["funder:journal", "funder:journal_export"])
def test_only_an_agent_reads_the_journal(
    world: World, client: Client, role: str, name: str
) -> None:
    record(E.INVITATION_RESENT, actor=world.agent, payload={"username": "secret.person"})
    client.force_login(world.user(role))
    response = client.get(reverse(name))
    assert response.status_code == 403 and b"secret.person" not in response.content


def mixed_events(world: World, month: Certificate, rounds: int) -> None:
    """``rounds`` times one event of each kind of object the sentences name."""
    for n in range(rounds):
        record(E.CERTIFIED, actor=world.of_user, obj=month, payload={"code": n, "method": "online"})
        record(E.DOSSIER_UPDATED, actor=world.agent, obj=world.dossier, payload={})
        record(E.IDENTITY_UPDATED, actor=world.of_admin, obj=world.dossier.organisation)
        record(E.ACCOUNT_REACTIVATED, actor=world.of_admin, obj=world.of_user)
        record(E.PAYMENT_RECORDED, actor=world.agent, obj=PaymentFactory(dossier=world.dossier))


def count_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("funder:journal")).status_code == 200
    return len(queries)


def test_the_page_runs_the_same_queries_for_5_and_50_events(
    world: World, agent_client: Client
) -> None:
    month = certified(world.dossier, FEBRUARY)
    mixed_events(world, month, 1)
    few = count_queries(agent_client)
    mixed_events(world, month, 9)
    assert AuditEvent.objects.count() == 50
    assert count_queries(agent_client) == few
