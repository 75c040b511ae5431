"""PUT /funder/dossiers: the instruction system's dossiers, each row written on its own,
matched as the import matches them, and the same call again changing nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError

from realisa.accounts.models import User
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.choices import Role
from realisa.dossiers.models import Dossier
from realisa.funder.dossier_sync import Sync
from realisa.organisations.models import Organisation
from tests.api.conftest import ApiClient
from tests.conftest import World, run_background_jobs
from tests.factories import make_siret

Api = Callable[[str | None], ApiClient]
NEW_ORGANISATION = make_siret(30_000_001)
EMPLOYER = make_siret(30_000_002)
PATH = "/funder/dossiers"


def row(number: str = "PTP-2027-0001", **fields: Any) -> dict[str, Any]:
    """A dossier at a new organisation, with ``fields`` changed."""
    return {
        "number": number,
        "beneficiary_reference": "B-1001",
        "organisation": {
            "siret": NEW_ORGANISATION,
            "name": "Centre Lorrain de Formation",
            "admin_email": "admin@clf.example",
        },
        "beneficiary": {
            "civility": "mme",
            "first_name": "Camille",
            "last_name": "Durand",
            "email": "camille@example.org",
        },
        "employer": {
            "siret": EMPLOYER,
            "name": "Boulangerie Durand",
            "email": "rh@boulangerie.example",
        },
        "training_title": "Titre professionnel Développeur web",
        "action_nature": "training",
        "start_date": "2027-01-04",
        "end_date": "2027-06-25",
        "planned_minutes": 700 * 60,
        "is_paperless": True,
    } | fields


def person(reference: str, first_name: str, email: str, civility: str = "m") -> dict[str, Any]:
    return {
        "beneficiary_reference": reference,
        "beneficiary": {
            "civility": civility,
            "first_name": first_name,
            "last_name": "Haddad",
            "email": email,
        },
    }


def three_rows(world: World) -> list[dict[str, Any]]:
    """Two dossiers at a new organisation, one at an organisation the portal knows."""
    known = world.dossier.organisation
    return [
        row(),
        row("PTP-2027-0002", employer=None, **person("B-1002", "Karim", "karim@example.org")),
        row(
            "PTP-2027-0003",
            organisation={"siret": known.siret, "name": known.name},
            action_nature="skills_assessment",
            planned_minutes=24 * 60 + 30,
            is_paperless=False,
            **person("B-1003", "Lina", "lina@example.org", civility="mme"),
        ),
    ]


def put(client: ApiClient, *rows: dict[str, Any]) -> Any:
    return client.json("put", PATH, {"dossiers": list(rows)})


def outcomes(response: Any) -> list[tuple[str, str, list[str]]]:
    assert response.status_code == 200, response.content
    return [(r["number"], r["outcome"], r["errors"]) for r in response.json()["results"]]


def test_three_dossiers_are_created_with_their_people_invited_once(
    world: World, api: Api, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = put(api("agent"), *three_rows(world))

    assert outcomes(response) == [
        ("PTP-2027-0001", "created", []),
        ("PTP-2027-0002", "created", []),
        ("PTP-2027-0003", "created", []),
    ]
    first, second, third = response.json()["results"]
    assert first["invitations"] == [
        "administrateur de « Centre Lorrain de Formation » : invitation à admin@clf.example",
        "bénéficiaire Camille DURAND : invitation à camille@example.org",
        "employeur « Boulangerie Durand » : invitation à rh@boulangerie.example",
    ]
    # The second row's organisation is the first row's: its admin is invited once.
    assert second["invitations"] == ["bénéficiaire Karim HADDAD : invitation à karim@example.org"]
    assert first["dossier"] | {"organisation": None} == {
        "number": "PTP-2027-0001",
        "training_title": "Titre professionnel Développeur web",
        "organisation": None,
        "beneficiary": "Mme Camille DURAND",
        "beneficiary_reference": "B-1001",
        "employer": {"siret": EMPLOYER, "name": "Boulangerie Durand"},
        "action_nature": "training",
        "start_date": "2027-01-04",
        "end_date": "2027-06-25",
        "planned_minutes": 42000,
        "is_paperless": True,
        "plan_owner": "organisation",
        "european_cofunding": False,
        "ended_on": None,
        "end_reason": "",
        "interruptions": [],
    }
    organisation = Organisation.objects.get(siret=NEW_ORGANISATION)
    assert first["dossier"]["organisation"]["id"] == organisation.pk
    assert second["dossier"]["employer"] is None
    assert third["dossier"]["organisation"]["siret"] == world.dossier.organisation.siret
    assert third["dossier"]["planned_minutes"] == 1470
    assert Dossier.objects.get(number="PTP-2027-0002").organisation == organisation
    assert User.objects.get(organisation=organisation).role == Role.OF_ADMIN

    events = list(AuditEvent.objects.values_list("action", "payload__source"))
    assert events.count(("dossier.created", "api")) == 3
    assert events.count(("account.created", "api")) == 5
    run_background_jobs()
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "admin@clf.example",
        "camille@example.org",
        "karim@example.org",
        "lina@example.org",
        "rh@boulangerie.example",
    ]


def test_the_same_call_again_answers_unchanged_and_invites_nobody(
    world: World, api: Api, django_capture_on_commit_callbacks: Any
) -> None:
    funder = api("agent")
    put(funder, *three_rows(world))
    users, events = User.objects.count(), AuditEvent.objects.count()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = put(funder, *three_rows(world))

    assert [outcome for _, outcome, _ in outcomes(again)] == ["unchanged"] * 3
    assert all(not r["invitations"] and not r["changes"] for r in again.json()["results"])
    assert all(r["dossier"] is not None for r in again.json()["results"])
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)
    run_background_jobs()
    assert mail.outbox == []


def test_a_changed_row_says_what_changed(world: World, api: Api) -> None:
    funder = api("agent")
    put(funder, row())
    changed = row(
        training_title="Titre professionnel Concepteur web",
        planned_minutes=750 * 60,
        beneficiary={
            "civility": "mme",
            "first_name": "Camille",
            "last_name": "Durand-Roy",
            "email": "camille@example.org",
        },
    )

    response = put(funder, changed)

    assert outcomes(response) == [("PTP-2027-0001", "updated", [])]
    assert response.json()["results"][0]["changes"] == [
        "nom du bénéficiaire : Durand → Durand-Roy",
        "intitulé de l'action : Titre professionnel Développeur web → "
        "Titre professionnel Concepteur web",
        "durée prévue (minutes) : 700 h → 750 h",
    ]
    assert response.json()["results"][0]["dossier"]["beneficiary"] == "Mme Camille DURAND-ROY"
    event = AuditEvent.objects.get(action="dossier.updated")
    assert (event.actor, event.payload["source"]) == (world.agent, "api")


def test_a_refused_row_holds_back_no_other(world: World, api: Api) -> None:
    other = world.other_dossier.organisation
    response = put(
        api("agent"),
        row("A1", organisation={"siret": "12345678901234", "name": "X"}),
        row(),
        row(
            world.dossier.number,
            organisation={"siret": other.siret, "name": other.name},
            **person("B-9", "Paul", ""),
        ),
    )

    assert outcomes(response) == [
        (
            "A1",
            "refused",
            [
                "SIRET de l'organisme : « 12345678901234 » n'est pas un numéro SIRET valide "
                "(14 chiffres, clé de contrôle)."
            ],
        ),
        ("PTP-2027-0001", "created", []),
        (
            world.dossier.number,
            "refused",
            [
                f"Le dossier {world.dossier.number} est suivi par l'organisme "
                f"« {world.dossier.organisation.name} » (SIRET "
                f"{world.dossier.organisation.siret}), pas par celui de SIRET {other.siret}."
            ],
        ),
    ]
    assert [r["dossier"] for r in response.json()["results"]][::2] == [None, None]
    assert Dossier.objects.filter(number="PTP-2027-0001").exists()
    assert not Dossier.objects.filter(number="A1").exists()
    world.dossier.refresh_from_db()
    assert world.dossier.organisation != other


def test_rows_of_one_call_are_checked_against_each_other(world: World, api: Api) -> None:
    renamed = {"siret": NEW_ORGANISATION, "name": "CLF", "admin_email": "admin@clf.example"}
    response = put(
        api("agent"),
        row(),
        row("PTP-2027-0002", organisation=renamed, **person("B-2", "Karim", "")),
        row(beneficiary_reference="B-3"),
    )

    assert outcomes(response) == [
        ("PTP-2027-0001", "created", []),
        (
            "PTP-2027-0002",
            "refused",
            [
                f"L'organisme de SIRET {NEW_ORGANISATION} s'appelle « Centre Lorrain de "
                "Formation » élément 1, et « CLF » ici."
            ],
        ),
        (
            "PTP-2027-0001",
            "refused",
            [
                "Le dossier PTP-2027-0001 figure déjà élément 1.",
                "Le dossier PTP-2027-0001 est celui du bénéficiaire d'identifiant B-1001, pas B-3.",
            ],
        ),
    ]


def test_a_row_rolled_back_is_forgotten_by_the_call(
    world: World, api: Api, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """The first row loses a race (another call created the same people meanwhile): its
    transaction rolls back, and the second row, describing the same organisation otherwise,
    is not checked against what was never written; nobody is invited by the first."""
    line = Sync.line

    def loses_a_race(sync: Sync, data: Any, place: str) -> Any:
        result = line(sync, data, place)
        if place == "élément 1":
            raise IntegrityError("duplicate key value violates unique constraint")
        return result

    monkeypatch.setattr(Sync, "line", loses_a_race)
    renamed = {"siret": NEW_ORGANISATION, "name": "CLF", "admin_email": "direction@clf.example"}

    with django_capture_on_commit_callbacks(execute=True):
        response = put(
            api("agent"),
            row(),
            row(
                "PTP-2027-0002",
                organisation=renamed,
                employer=None,
                **person("B-2", "Karim", ""),
            ),
        )

    assert outcomes(response) == [
        (
            "PTP-2027-0001",
            "refused",
            [
                "Un autre envoi a écrit ce dossier ou ces personnes au même moment : "
                "renvoyez cet élément."
            ],
        ),
        ("PTP-2027-0002", "created", []),
    ]
    assert Organisation.objects.get(siret=NEW_ORGANISATION).name == "CLF"
    assert not Dossier.objects.filter(number="PTP-2027-0001").exists()
    run_background_jobs()
    assert [message.to for message in mail.outbox] == [["direction@clf.example"]]
    assert not User.objects.filter(email="camille@example.org").exists()


def test_a_date_change_over_entered_hours_is_refused(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    dossier, organisation = world.dossier, world.dossier.organisation
    beneficiary = dossier.beneficiary
    beneficiary.funder_reference = "B-77"
    beneficiary.save(update_fields=["funder_reference"])
    described = row(
        dossier.number,
        beneficiary_reference="B-77",
        organisation={"siret": organisation.siret, "name": organisation.name},
        beneficiary={
            "civility": beneficiary.civility,
            "first_name": beneficiary.first_name,
            "last_name": beneficiary.last_name,
            "email": beneficiary.email,
        },
        employer=None,
        training_title=dossier.training_title,
        start_date="2026-02-16",  # February's days would change: its hours are certified
        end_date="2026-06-19",
        planned_minutes=dossier.planned_minutes,
        is_paperless=dossier.is_paperless,
    )

    response = put(api("agent"), described)

    assert outcomes(response) == [
        (
            dossier.number,
            "refused",
            [
                "Les dates ne peuvent pas passer du 16/02/2026 au 19/06/2026 : les heures de "
                "février 2026 sont déjà certifiées, et les jours de ce mois changeraient. "
                "Rouvrez ou corrigez d'abord ce mois."
            ],
        ),
    ]
    dossier.refresh_from_db()
    assert dossier.start_date == date(2026, 1, 12)
    assert not AuditEvent.objects.filter(action="dossier.updated").exists()


def test_blank_texts_and_a_lone_employer_name_are_refused_on_their_row(
    world: World, api: Api
) -> None:
    response = put(
        api("agent"),
        row(
            training_title="\x1f",
            employer={"siret": " ", "name": "Boulangerie"},
            end_date="2026-12-31",
        ),
    )

    assert outcomes(response) == [
        (
            "PTP-2027-0001",
            "refused",
            [
                "intitulé de la formation : la valeur est vide.",
                "La date de fin précède la date de début.",
                "employeur : son SIRET et sa raison sociale vont ensemble.",
            ],
        )
    ]


def test_a_training_of_more_than_five_years_is_refused(world: World, api: Api) -> None:
    response = put(api("agent"), row(end_date="2037-01-04"))
    assert outcomes(response) == [
        (
            "PTP-2027-0001",
            "refused",
            ["La formation dure plus de 5 ans (du 04/01/2027 au 04/01/2037) : vérifiez les dates."],
        )
    ]


def test_more_than_500_rows_is_a_422_problem(world: World, api: Api) -> None:
    rows = [row(f"PTP-{n}") for n in range(501)]
    response = api("agent").json("put", PATH, {"dossiers": rows})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "501 dossiers envoyés : au plus 500 par appel. Envoyez-les en plusieurs appels."
    )
    assert not Organisation.objects.filter(siret=NEW_ORGANISATION).exists()


def test_an_organisation_cannot_put_dossiers(world: World, api: Api) -> None:
    response = put(api("of_admin"), row())
    assert response.status_code == 403
    assert response.json()["detail"] == "Réservé aux agents de Transitions Pro."
    assert not Dossier.objects.filter(number="PTP-2027-0001").exists()


def test_the_european_cofunding_is_set_and_read_back(world: World, api: Api) -> None:
    client = api("agent")
    (created,) = put(client, row(european_cofunding=True)).json()["results"]
    assert created["dossier"]["european_cofunding"] is True
    (kept,) = put(client, row()).json()["results"]  # absent: as recorded
    assert kept["outcome"] == "unchanged" and kept["dossier"]["european_cofunding"] is True
    assert Dossier.objects.get(number="PTP-2027-0001").european_cofunding is True
