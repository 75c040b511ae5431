"""« Votre identité »: the admin completes it; a refused upload changes nothing."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.choices import ReviewStatus
from realisa.demo.files import logo_png, one_page_pdf
from realisa.organisations.models import CertifierDocument, Organisation
from tests.conftest import World
from tests.identity import files
from tests.identity.conftest import add_document, complete_identity

URL = reverse("organisations:identity")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def form(**extra: Any) -> dict[str, Any]:
    return {"legal_representative": "Paul Weber", "legal_representative_title": "Gérant", **extra}


def test_the_admin_fills_the_identity_and_declares_itself_certifier(
    world: World, client: Client, organisation: Organisation
) -> None:
    client.force_login(world.of_admin)
    response = client.post(
        URL,
        form(
            logo=files.upload("logo.png", logo_png("CH", "#000")),
            stamp=files.upload("cachet.jpg", files.jpeg()),
            is_certifier="on",
            kbis=files.upload("kbis.pdf", one_page_pdf("KBIS")),
            consent_letter=files.upload("lettre.pdf", one_page_pdf("Lettre")),
        ),
        follow=True,
    )
    page = text_of(response.text)
    assert "Votre identité est enregistrée." in page
    organisation.refresh_from_db()
    assert organisation.legal_representative == "Paul Weber"
    assert organisation.is_certifier
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", organisation.logo.name)
    assert re.fullmatch(r"stamps/[0-9a-f]{32}\.jpg", organisation.stamp.name)
    assert page.count("En attente de contrôle par votre Transitions Pro") == 2
    assert "que lorsque votre Transitions Pro aura pointé conforme vos deux documents" in page
    assert "certification 1" in page
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("certifier_document.uploaded") == 2
    assert "organisation.identity_updated" in actions


def test_the_name_and_the_logo_are_required(world: World, client: Client) -> None:
    client.force_login(world.of_admin)
    page = text_of(client.post(URL, {"legal_representative": ""}).text)
    assert "Rien n'a été enregistré" in page
    assert "Ce champ est obligatoire." in page
    assert "Ajoutez le logo de votre organisme." in page


def test_a_refused_logo_says_why_and_the_previous_one_stays(
    world: World, client: Client, organisation: Organisation
) -> None:
    complete_identity(organisation)
    before = organisation.logo.name
    stored = organisation.logo.read()
    client.force_login(world.of_admin)
    response = client.post(
        URL, form(logo=files.upload("logo.svg", files.SVG_WITH_SCRIPT, "image/svg+xml"))
    )
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas une image PNG ou JPEG." in response.text
    assert 'value="Paul Weber"' in response.text  # what was typed comes back
    organisation.refresh_from_db()
    assert organisation.logo.name == before
    assert organisation.logo.read() == stored
    assert organisation.legal_representative == "Sophie Lambert"


def test_a_refused_kbis_says_why_and_the_checked_one_stays(
    world: World, client: Client, organisation: Organisation
) -> None:
    complete_identity(organisation)
    kbis = add_document(organisation, "kbis", review_status=ReviewStatus.COMPLIANT)
    stored = kbis.file.read()
    client.force_login(world.of_admin)
    response = client.post(
        URL, form(is_certifier="on", kbis=files.upload("kbis.pdf", files.encrypted_pdf()))
    )
    assert "Ce PDF est protégé par un mot de passe" in response.text
    kbis.refresh_from_db()
    assert kbis.file.read() == stored
    assert kbis.review_status == ReviewStatus.COMPLIANT


def test_uploading_a_new_document_resets_its_check(
    world: World, client: Client, organisation: Organisation
) -> None:
    complete_identity(organisation)
    kbis = add_document(
        organisation, "kbis", review_status=ReviewStatus.NON_COMPLIANT, refusal_reason="Illisible"
    )
    client.force_login(world.of_admin)
    client.post(URL, form(is_certifier="on", kbis=files.upload("k.pdf", one_page_pdf("v2"))))
    kbis.refresh_from_db()
    assert kbis.review_status == ReviewStatus.PENDING
    assert kbis.reviewed_at is None and kbis.reviewed_by is None and kbis.refusal_reason == ""
    assert b"v2" in kbis.file.read()


def test_the_admin_removes_a_document(
    world: World, client: Client, organisation: Organisation
) -> None:
    add_document(organisation, "consent_letter")
    client.force_login(world.of_admin)
    response = client.post(
        reverse("organisations:document_remove", args=["consent_letter"]), follow=True
    )
    assert "Lettre de consentement : document supprimé." in response.text
    assert not CertifierDocument.objects.filter(organisation=organisation).exists()
    assert AuditEvent.objects.filter(action="certifier_document.removed").count() == 1


def test_the_page_shows_each_check_in_the_seed_words(
    world: World, client: Client, organisation: Organisation
) -> None:
    complete_identity(organisation)
    add_document(
        organisation,
        "kbis",
        review_status=ReviewStatus.COMPLIANT,
        reviewed_at="2026-11-27T10:00:00+01:00",
    )
    add_document(
        organisation,
        "consent_letter",
        review_status=ReviewStatus.NON_COMPLIANT,
        refusal_reason="La lettre n'est pas signée.",
    )
    client.force_login(world.of_admin)
    page = text_of(client.get(URL).text)
    assert "Extrait KBIS Contrôlé le 27/11/2026" in page
    assert "Lettre de consentement Non conforme Motif : La lettre n'est pas signée." in page
    assert "Lettre de consentement : pas encore contrôlée conforme" in page


@pytest.mark.parametrize("which", ["logo", "stamp", "kbis"])
def test_a_stored_file_is_served_as_an_attachment_never_sniffed(
    world: World, client: Client, organisation: Organisation, which: str
) -> None:
    complete_identity(organisation)
    add_document(organisation, "kbis")
    client.force_login(world.of_admin)
    response = client.get(reverse("organisations:identity_file", args=[which]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == {"logo": "image/png", "stamp": "image/png"}.get(
        which, "application/pdf"
    )


def test_a_user_of_the_organisation_does_not_manage_its_identity(
    world: World, client: Client
) -> None:
    client.force_login(world.of_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403


def test_the_admin_sees_its_menus(world: World, client: Client) -> None:
    client.force_login(world.of_admin)
    page = client.get(reverse("dossiers:list")).text
    assert "Votre identité" in page and "Utilisateurs" in page
    client.force_login(world.of_user)
    assert "Votre identité" not in client.get(reverse("dossiers:list")).text
