"""« Importer des dossiers »: the funder's export previewed line by line, then imported whole
or not at all; people matched on the funder's identifiers, never on an e-mail address."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from realisa.accounts.models import User
from realisa.audit.models import AuditEvent
from realisa.choices import ActionNature, Civility, Role
from realisa.dossiers.models import Beneficiary, Dossier, Employer, PlannedDay
from realisa.funder.dossier_data import Outcome
from realisa.funder.dossier_file import NAMES, LineError, template_csv, template_xlsx
from realisa.funder.dossier_import import LineInvalid, parse_line, run
from realisa.organisations.models import Organisation
from tests.conftest import World, run_background_jobs
from tests.factories import (
    BeneficiaryFactory,
    CertificateFactory,
    DossierFactory,
    EmployerFactory,
    PaymentFactory,
    PlannedDayFactory,
    make_siret,
)

NEW_ORGANISATION = make_siret(30_000_001)
EMPLOYER = make_siret(30_000_002)


def line(**values: str) -> dict[str, str]:
    """A line of a new dossier at a new organisation, with ``values`` changed."""
    return {
        "dossier": "PTP-2027-0001",
        "identifiant_beneficiaire": "B-1001",
        "siret_organisme": NEW_ORGANISATION,
        "organisme": "Centre Lorrain de Formation",
        "email_organisme": "admin@clf.example",
        "civilite": "Mme",
        "prenom": "Camille",
        "nom": "Durand",
        "email_beneficiaire": "camille@example.org",
        "siret_employeur": EMPLOYER,
        "employeur": "Boulangerie Durand",
        "email_employeur": "rh@boulangerie.example",
        "intitule": "Titre professionnel Développeur web",
        "nature": "Action de formation",
        "debut": "04/01/2027",
        "fin": "25/06/2027",
        "heures_prevues": "700",
        "dematerialise": "oui",
    } | values


def csv_of(*lines: dict[str, str], header: list[str] = NAMES) -> bytes:
    rows = [";".join(header)] + [
        ";".join(values.get(name, "") for name in header) for values in lines
    ]
    return ("\ufeff" + "\r\n".join(rows)).encode("utf-8")


def three_dossiers(world: World) -> bytes:
    """Two dossiers at a new organisation, one at an organisation the portal knows."""
    return csv_of(
        line(),
        line(
            dossier="PTP-2027-0002",
            identifiant_beneficiaire="B-1002",
            civilite="M.",
            prenom="Karim",
            nom="Haddad",
            email_beneficiaire="karim@example.org",
            siret_employeur="",
            employeur="",
            email_employeur="",
        ),
        line(
            dossier="PTP-2027-0003",
            identifiant_beneficiaire="B-1003",
            siret_organisme=world.dossier.organisation.siret,
            organisme=world.dossier.organisation.name,
            email_organisme="",
            prenom="Lina",
            nom="Petit",
            email_beneficiaire="lina@example.org",
            nature="Bilan de compétences",
            heures_prevues="24h30",
            dematerialise="non",
        ),
    )


def errors_of(report) -> list[tuple[str, list[str]]]:
    return [(line.place, line.errors) for line in report.refused]


def test_the_preview_says_what_each_line_would_do_and_writes_nothing(world: World) -> None:
    dossiers, users = Dossier.objects.count(), User.objects.count()
    report = run(three_dossiers(world), actor=world.agent, commit=False)
    assert not report.is_refused
    assert [(line.place, line.outcome) for line in report.lines] == [
        ("ligne 2", Outcome.CREATED),
        ("ligne 3", Outcome.CREATED),
        ("ligne 4", Outcome.CREATED),
    ]
    assert report.lines[0].invitations == [
        "administrateur de « Centre Lorrain de Formation » : invitation à admin@clf.example",
        "bénéficiaire Camille DURAND : invitation à camille@example.org",
        "employeur « Boulangerie Durand » : invitation à rh@boulangerie.example",
    ]
    # The second line's organisation is the first line's: one admin, invited once.
    assert report.lines[1].invitations == [
        "bénéficiaire Karim HADDAD : invitation à karim@example.org"
    ]
    assert report.summary == "3 dossiers créés, 0 mis à jour, 0 inchangé"
    assert (Dossier.objects.count(), User.objects.count()) == (dossiers, users)
    assert not Organisation.objects.filter(siret=NEW_ORGANISATION).exists()
    assert not AuditEvent.objects.filter(action__startswith="dossier").exists()


def test_importing_creates_the_dossiers_the_people_and_their_invitations(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = run(three_dossiers(world), actor=world.agent, commit=True)
    assert report.imported
    first = Dossier.objects.get(number="PTP-2027-0001")
    assert first.organisation.name == "Centre Lorrain de Formation"
    assert first.beneficiary.funder_reference == "B-1001"
    assert first.beneficiary.civility == Civility.MME
    assert first.employer is not None and first.employer.siret == EMPLOYER
    assert (first.start_date, first.end_date) == (date(2027, 1, 4), date(2027, 6, 25))
    assert first.planned_minutes == 700 * 60 and first.is_paperless
    second = Dossier.objects.get(number="PTP-2027-0002")
    assert second.organisation == first.organisation and second.employer is None
    third = Dossier.objects.get(number="PTP-2027-0003")
    assert third.organisation == world.dossier.organisation
    assert third.action_nature == ActionNature.SKILLS_ASSESSMENT
    assert third.planned_minutes == 24 * 60 + 30 and not third.is_paperless

    admin = User.objects.get(organisation=first.organisation)
    assert admin.role == Role.OF_ADMIN and admin.email == "admin@clf.example"
    assert not admin.has_usable_password()
    assert first.beneficiary.user is not None
    assert first.beneficiary.user.role == Role.BENEFICIARY
    assert User.objects.get(employer=first.employer).role == Role.EMPLOYER
    # The known organisation gets no second admin.
    assert world.dossier.organisation.members.filter(role=Role.OF_ADMIN).count() == 1

    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("dossier.created") == 3
    assert actions.count("account.created") == 5
    assert actions.count("dossiers.imported") == 1
    run_background_jobs()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [
        "admin@clf.example",
        "camille@example.org",
        "karim@example.org",
        "lina@example.org",
        "rh@boulangerie.example",
    ]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert (
        "pour l'organisme « Centre Lorrain de Formation »" in by_address["admin@clf.example"].body
    )
    assert "pour l'employeur « Boulangerie Durand »" in by_address["rh@boulangerie.example"].body
    assert "pour suivre les heures de votre formation" in by_address["karim@example.org"].body


def test_importing_the_same_file_twice_changes_nothing(
    world: World, django_capture_on_commit_callbacks
) -> None:
    content = three_dossiers(world)
    run(content, actor=world.agent, commit=True)
    users, beneficiaries, employers = (
        User.objects.count(),
        Beneficiary.objects.count(),
        Employer.objects.count(),
    )
    events = AuditEvent.objects.exclude(action="dossiers.imported").count()
    with django_capture_on_commit_callbacks(execute=True):
        again = run(content, actor=world.agent, commit=True)
    assert [line.outcome for line in again.lines] == [Outcome.UNCHANGED] * 3
    assert all(not line.invitations and not line.changes for line in again.lines)
    assert (User.objects.count(), Beneficiary.objects.count(), Employer.objects.count()) == (
        users,
        beneficiaries,
        employers,
    )
    assert AuditEvent.objects.exclude(action="dossiers.imported").count() == events
    mail.outbox.clear()
    run_background_jobs()
    assert mail.outbox == []


def test_a_changed_line_says_which_fields_change(world: World) -> None:
    run(csv_of(line()), actor=world.agent, commit=True)
    changed = csv_of(
        line(intitule="Titre professionnel Concepteur web", heures_prevues="750", nom="Durand-Roy")
    )
    preview = run(changed, actor=world.agent, commit=False)
    (result,) = preview.lines
    assert result.outcome == Outcome.UPDATED
    assert [str(change) for change in result.changes] == [
        "nom du bénéficiaire : Durand → Durand-Roy",
        "intitulé de l'action : Titre professionnel Développeur web → "
        "Titre professionnel Concepteur web",
        "durée prévue (minutes) : 700 h → 750 h",
    ]
    run(changed, actor=world.agent, commit=True)
    dossier = Dossier.objects.get(number="PTP-2027-0001")
    assert dossier.training_title == "Titre professionnel Concepteur web"
    assert dossier.planned_minutes == 750 * 60
    event = AuditEvent.objects.get(action="dossier.updated")
    assert event.actor == world.agent
    assert ["nom du bénéficiaire", "Durand", "Durand-Roy"] in event.payload["changes"]


def test_every_error_is_named_with_its_line_and_nothing_is_imported(world: World) -> None:
    known_employer = EmployerFactory(name="Garage Central")
    content = csv_of(
        line(),  # valid, yet not imported: the file goes whole or not at all
        line(dossier="A2", identifiant_beneficiaire="B-2", siret_organisme="12345678901234"),
        line(dossier="A3", identifiant_beneficiaire="B-3", debut="31/02/2027", fin="hier"),
        line(dossier="A4", identifiant_beneficiaire="B-4", debut="01/07/2027"),
        line(dossier="A5", identifiant_beneficiaire="B-5", heures_prevues="beaucoup"),
        line(dossier="A6", identifiant_beneficiaire="", civilite="Dr", nature="Stage"),
        line(dossier="A7", identifiant_beneficiaire="B-7", dematerialise="peut-être"),
        line(dossier="A8", identifiant_beneficiaire="B-8", siret_employeur="", employeur="X"),
        line(dossier="A9", identifiant_beneficiaire="B-9", email_beneficiaire="pas-une-adresse"),
        line(
            dossier="A10",
            identifiant_beneficiaire="B-10",
            siret_employeur=known_employer.siret,
            employeur="Garage du Nord",
        ),
        line(dossier="PTP-2027-0001", identifiant_beneficiaire="B-11"),
        line(dossier="A12", prenom="Camilla"),  # B-1 again, described otherwise
        line(
            dossier="A13",
            identifiant_beneficiaire="B-13",
            siret_organisme=make_siret(30_000_099),
            email_organisme="",
        ),
        line(dossier=world.dossier.number, identifiant_beneficiaire="B-14"),
    )
    report = run(content, actor=world.agent, commit=True)
    assert not report.imported
    errors = dict(errors_of(report))
    assert errors["ligne 3"] == [
        "SIRET de l'organisme : « 12345678901234 » n'est pas un numéro SIRET valide "
        "(14 chiffres, clé de contrôle)."
    ]
    assert errors["ligne 4"] == [
        "date de début : « 31/02/2027 » n'est pas une date (JJ/MM/AAAA).",
        "date de fin : « hier » n'est pas une date (JJ/MM/AAAA).",
    ]
    assert errors["ligne 5"] == ["La date de fin précède la date de début."]
    assert errors["ligne 6"] == [
        "heures prévues : « beaucoup » n'est pas une durée. "
        "Saisissez une durée comme 7, 7,5, 7h30 ou 7:30."
    ]
    assert errors["ligne 7"] == ["identifiant du bénéficiaire : la cellule est vide."]
    assert errors["ligne 8"] == [
        "dossier dématérialisé : « peut-être » (attendu « oui » ou « non »)."
    ]
    assert errors["ligne 9"] == ["employeur : son SIRET et sa raison sociale vont ensemble."]
    assert errors["ligne 10"] == [
        "e-mail du bénéficiaire : « pas-une-adresse » n'est pas une adresse e-mail."
    ]
    assert errors["ligne 11"] == [
        f"Le SIRET {known_employer.siret} est celui de l'employeur « Garage Central », "
        "pas de « Garage du Nord » : corrigez le nom ou le SIRET."
    ]
    assert errors["ligne 12"] == [
        "Le dossier PTP-2027-0001 figure déjà ligne 2.",
        "Le dossier PTP-2027-0001 est celui du bénéficiaire d'identifiant B-1001, pas B-11.",
    ]
    assert errors["ligne 13"] == [
        "Le bénéficiaire d'identifiant B-1001 est décrit autrement ligne 2 "
        "(civilité, nom, prénom ou e-mail)."
    ]
    assert errors["ligne 14"] == [
        f"L'organisme de SIRET {make_siret(30_000_099)} est nouveau : sa raison sociale et "
        "l'e-mail de son administrateur sont nécessaires."
    ]
    assert errors["ligne 15"] == [
        f"Le dossier {world.dossier.number} est suivi par l'organisme "
        f"« {world.dossier.organisation.name} » (SIRET {world.dossier.organisation.siret}), "
        f"pas par celui de SIRET {NEW_ORGANISATION}."
    ]
    assert not Dossier.objects.filter(number="PTP-2027-0001").exists()
    assert not Organisation.objects.filter(siret=NEW_ORGANISATION).exists()
    assert not AuditEvent.objects.filter(action__startswith="dossier").exists()


def test_a_line_with_a_wrong_civility_and_nature_names_both() -> None:
    with pytest.raises(LineInvalid) as invalid:
        parse_line(line(civilite="Dr", nature="Stage"))
    assert invalid.value.errors == [
        "civilité : « Dr » (attendu « Mme » ou « M. »).",
        "nature de l'action : « Stage » (attendu « Action de formation », « Bilan de "
        "compétences », « Action de VAE », « Action de formation par apprentissage »).",
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", LineError(1, "Le fichier est vide.")),
        (
            csv_of(line(), header=[name for name in NAMES if name != "nature"]),
            LineError(
                1, "La première ligne doit nommer les colonnes du modèle (il manque « nature »)."
            ),
        ),
        (
            csv_of(header=[*NAMES, "remarque"]),
            LineError(
                1,
                "La première ligne doit nommer les colonnes du modèle (colonnes inconnues : "
                "« remarque »).",
            ),
        ),
        (";".join(NAMES).encode(), LineError(2, "Le fichier ne contient aucun dossier.")),
        (
            b"PK\x03\x04 not a workbook",
            LineError(1, "Ce fichier n'est ni un CSV ni un classeur XLSX lisible."),
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_its_reason(
    world: World, content: bytes, error: LineError
) -> None:
    report = run(content, actor=world.agent, commit=True)
    assert report.errors == [error] and not report.imported


def test_people_are_never_matched_on_an_email_address_alone(world: World) -> None:
    """A family shares an address: a second beneficiary with it is another person, with
    an account of their own."""
    run(csv_of(line()), actor=world.agent, commit=True)
    run(
        csv_of(
            line(
                dossier="PTP-2027-0009",
                identifiant_beneficiaire="B-1009",
                prenom="Louis",
                civilite="M.",
            )
        ),
        actor=world.agent,
        commit=True,
    )
    camille = Beneficiary.objects.get(funder_reference="B-1001")
    louis = Beneficiary.objects.get(funder_reference="B-1009")
    assert camille.pk != louis.pk and camille.email == louis.email
    assert camille.user is not None and louis.user is not None
    assert camille.user.username == "camille@example.org"
    assert louis.user.username == "camille@example.org-2"


def test_a_dossier_created_elsewhere_receives_its_beneficiary_identifier(world: World) -> None:
    dossier = world.dossier
    values = line(
        dossier=dossier.number,
        identifiant_beneficiaire="B-7777",
        siret_organisme=dossier.organisation.siret,
        organisme=dossier.organisation.name,
        civilite="Mme",
        prenom=dossier.beneficiary.first_name,
        nom=dossier.beneficiary.last_name,
        email_beneficiaire=dossier.beneficiary.email,
        siret_employeur=dossier.employer.siret,
        employeur=dossier.employer.name,
        email_employeur=dossier.employer.email,
        intitule=dossier.training_title,
        debut=f"{dossier.start_date:%d/%m/%Y}",
        fin=f"{dossier.end_date:%d/%m/%Y}",
        heures_prevues="600",
        dematerialise="non",
    )
    (result,) = run(csv_of(values), actor=world.agent, commit=True).lines
    assert result.outcome == Outcome.UPDATED
    assert [str(change) for change in result.changes] == [
        "identifiant du financeur du bénéficiaire : (vide) → B-7777"
    ]
    dossier.beneficiary.refresh_from_db()
    assert dossier.beneficiary.funder_reference == "B-7777"
    assert Beneficiary.objects.count() == 2  # the two of the world: no new one


def test_a_date_change_over_entered_hours_is_refused_with_its_reason(world: World) -> None:
    run(csv_of(line()), actor=world.agent, commit=True)
    dossier = Dossier.objects.get(number="PTP-2027-0001")
    CertificateFactory(dossier=dossier, month=date(2027, 1, 1))
    refused = run(csv_of(line(debut="11/01/2027")), actor=world.agent, commit=True)
    assert errors_of(refused) == [
        (
            "ligne 2",
            [
                "Les dates ne peuvent pas passer du 11/01/2027 au 25/06/2027 : les heures de "
                "janvier 2027 sont déjà saisies, et les jours de ce mois changeraient. Rouvrez "
                "ou corrigez d'abord ce mois."
            ],
        )
    ]
    dossier.refresh_from_db()
    assert dossier.start_date == date(2027, 1, 4)


def test_a_date_change_that_leaves_the_entered_months_alone_is_made(world: World) -> None:
    run(csv_of(line()), actor=world.agent, commit=True)
    dossier = Dossier.objects.get(number="PTP-2027-0001")
    CertificateFactory(dossier=dossier, month=date(2027, 1, 1))
    PlannedDayFactory(dossier=dossier, date=date(2027, 6, 24))
    PlannedDayFactory(dossier=dossier, date=date(2027, 1, 4))
    (result,) = run(csv_of(line(fin="28/05/2027")), actor=world.agent, commit=True).lines
    assert result.outcome == Outcome.UPDATED
    assert [str(change) for change in result.changes] == [
        "fin de la formation : 25/06/2027 → 28/05/2027",
        "calendrier prévisionnel : 1 jour hors des nouvelles dates → retiré",
    ]
    assert list(PlannedDay.objects.filter(dossier=dossier).values_list("date", flat=True)) == [
        date(2027, 1, 4)
    ]


def test_a_date_change_that_leaves_a_payment_outside_the_training_is_refused(
    world: World,
) -> None:
    run(csv_of(line()), actor=world.agent, commit=True)
    dossier = Dossier.objects.get(number="PTP-2027-0001")
    PaymentFactory(dossier=dossier, period_start=date(2027, 6, 1), period_end=date(2027, 6, 25))
    report = run(csv_of(line(fin="28/05/2027")), actor=world.agent, commit=True)
    assert errors_of(report)[0][1] == [
        "Les dates ne peuvent pas passer du 04/01/2027 au 28/05/2027 : un règlement couvre "
        "la période du 01/06/2027 au 25/06/2027."
    ]


def test_a_workbook_imports_as_its_csv_does(world: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(NAMES)
    values = line()
    row: list[object] = [values.get(name, "") for name in NAMES]
    row[NAMES.index("debut")] = date(2027, 1, 4)  # a date cell, as a spreadsheet keeps it
    row[NAMES.index("heures_prevues")] = 700.0
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), actor=world.agent, commit=True)
    assert report.imported, errors_of(report)
    dossier = Dossier.objects.get(number="PTP-2027-0001")
    assert dossier.start_date == date(2027, 1, 4) and dossier.planned_minutes == 700 * 60


def test_the_templates_are_files_the_import_reads(world: World) -> None:
    for content in (template_csv(), template_xlsx()):
        report = run(content, actor=world.agent, commit=False)
        assert [line.outcome for line in report.lines] == [Outcome.CREATED], errors_of(report)


def upload(content: bytes, name: str = "dossiers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_agent_previews_then_imports_from_the_page(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.agent)
    url = reverse("funder:dossier_import")
    preview = client.post(url, {"file": upload(three_dossiers(world))})
    text = unescape(preview.text)
    assert preview.status_code == 200
    assert "3 dossiers créés, 0 mis à jour, 0 inchangé." in text
    assert 'Ligne 2</strong> — PTP-2027-0001 : <span class="import-outcome">créé' in text
    assert (
        "Administrateur de « Centre Lorrain de Formation » : invitation à admin@clf.example" in text
    )
    assert not Dossier.objects.filter(number="PTP-2027-0001").exists()
    token = re.search(r'name="preview" value="([^"]+)"', preview.text)
    assert token is not None
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"preview": token.group(1)}, follow=True)
    assert "Import terminé : 3 dossiers créés, 0 mis à jour, 0 inchangé." in unescape(done.text)
    assert Dossier.objects.filter(number__startswith="PTP-2027-").count() == 3


def test_a_refused_file_offers_no_import_button(world: World, client: Client) -> None:
    client.force_login(world.agent)
    response = client.post(
        reverse("funder:dossier_import"), {"file": upload(csv_of(line(debut="hier")))}
    )
    text = unescape(response.text)
    assert "Rien n'a été importé : corrigez les lignes refusées" in text
    assert "date de début : « hier » n'est pas une date (JJ/MM/AAAA)." in text
    assert 'name="preview"' not in response.text


def test_a_forged_preview_imports_nothing(world: World, client: Client) -> None:
    client.force_login(world.agent)
    response = client.post(reverse("funder:dossier_import"), {"preview": "forged"}, follow=True)
    assert "L'aperçu a expiré (une heure) : déposez le fichier à nouveau." in unescape(
        response.text
    )
    assert not Dossier.objects.filter(number__startswith="PTP-").exists()


@pytest.mark.parametrize("name", ["of_admin", "of_user", "beneficiary", "employer"])
def test_only_agents_import_dossiers(world: World, client: Client, name: str) -> None:
    client.force_login(world.user(name))
    for url in (
        reverse("funder:dossier_import"),
        reverse("funder:dossier_import_template", args=["csv"]),
        reverse("funder:invitations"),
    ):
        assert client.get(url).status_code in (403, 404)
    response = client.post(reverse("funder:dossier_import"), {"file": upload(csv_of(line()))})
    assert response.status_code in (403, 404)
    assert not Dossier.objects.filter(number="PTP-2027-0001").exists()


def test_the_template_downloads(world: World, client: Client) -> None:
    client.force_login(world.agent)
    response = client.get(reverse("funder:dossier_import_template", args=["csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-dossiers.csv"'
    assert response.content.decode("utf-8-sig").startswith("dossier;identifiant_beneficiaire;")
    assert client.get(reverse("funder:dossier_import_template", args=["pdf"])).status_code == 404


def test_a_known_employer_without_an_account_is_invited_once(world: World) -> None:
    employer = EmployerFactory(name="Boulangerie Durand", siret=EMPLOYER, email="")
    DossierFactory(employer=employer)
    report = run(csv_of(line()), actor=world.agent, commit=True)
    assert report.lines[0].invitations[-1] == (
        "employeur « Boulangerie Durand » : invitation à rh@boulangerie.example"
    )
    employer.refresh_from_db()
    assert employer.email == "rh@boulangerie.example"
    assert employer.users.count() == 1
    again = run(csv_of(line(dossier="PTP-2027-0005")), actor=world.agent, commit=True)
    assert again.lines[0].invitations == [] and employer.users.count() == 1


def test_a_known_beneficiary_keeps_the_account_they_have(world: World) -> None:
    beneficiary = BeneficiaryFactory(
        with_login=True,
        funder_reference="B-1001",
        first_name="Camille",
        last_name="Durand",
        email="camille@example.org",
    )
    accounts = User.objects.filter(role=Role.BENEFICIARY).count()
    report = run(csv_of(line()), actor=world.agent, commit=True)
    assert not any("bénéficiaire" in invitation for invitation in report.lines[0].invitations)
    assert Dossier.objects.get(number="PTP-2027-0001").beneficiary == beneficiary
    assert User.objects.filter(role=Role.BENEFICIARY).count() == accounts
