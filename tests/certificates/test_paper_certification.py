"""Certification 1 (paper): the signed scan, attendance sheets, « Certifier », the e-mails."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from realisa.audit.models import AuditEvent
from realisa.certificates.certification import (
    CertificationRefused,
    certify_paper,
    completeness_reminders,
)
from realisa.certificates.lifecycle import AlreadyDone, NotNow
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.choices import CertificationMethod, MonthStatus, VersionReason
from realisa.demo.files import logo_png, one_page_pdf
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import MARCH
from tests.certificates.test_entry_service import enter
from tests.conftest import World, run_background_jobs

ARGS = ("number", 2026, 3)


def url(name: str, dossier: Dossier, *extra: Any) -> str:
    return reverse(f"certificates:{name}", args=[dossier.number, 2026, 3, *extra])


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, one_page_pdf("Certificat signe"), "application/pdf")


@pytest.fixture
def entered(world: World, dossier: Dossier) -> Certificate:
    return enter(dossier, world.of_user).certificate  # type: ignore[no-any-return]


@pytest.fixture
def member(client: Client, world: World) -> Client:
    client.force_login(world.of_user)
    return client


def test_after_saving_the_month_page_shows_the_seed_steps(
    member: Client, entered: Certificate
) -> None:
    page = member.get(url("month", entered.dossier)).text
    assert "Étape 1 : imprimer et signer le certificat de réalisation" in page
    assert "même si vous certifiez zéro heure de formation" in page
    assert "Étape 2 : déposer le certificat signé" in page
    assert "Étape 3 : joindre les feuilles d'émargement (facultatif)" in page
    assert reverse("documents:download", args=[entered.pk]) in page
    assert ">Certifier</button>" in page


def test_certifier_without_a_signed_scan_is_refused(member: Client, entered: Certificate) -> None:
    response = member.post(url("certify", entered.dossier))
    assert response.status_code == 409
    assert "Déposez d&#x27;abord le certificat de réalisation imprimé et signé" in response.text
    entered.refresh_from_db()
    assert entered.status == MonthStatus.ENTERED


def test_a_signed_scan_can_be_replaced_and_the_old_file_goes(
    member: Client, entered: Certificate, django_capture_on_commit_callbacks: Any
) -> None:
    member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()})
    entered.refresh_from_db()
    first = entered.signed_scan.name
    assert first.startswith("signed-scans/") and first.endswith(".pdf")
    with django_capture_on_commit_callbacks(execute=True):
        image = SimpleUploadedFile("scan.jpg", logo_png("S", "#000"), "image/jpeg")
        member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": image})
    entered.refresh_from_db()
    assert entered.signed_scan.name.endswith(".png")  # named after its content
    assert not default_storage.exists(first)


def test_a_refused_scan_says_why_and_keeps_the_previous_one(
    member: Client, entered: Certificate
) -> None:
    member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()})
    entered.refresh_from_db()
    kept = entered.signed_scan.name
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": fake})
    assert response.status_code == 400
    assert "ni un PDF ni une image PNG ou JPEG" in response.text
    entered.refresh_from_db()
    assert entered.signed_scan.name == kept and default_storage.exists(kept)


def test_the_signed_scan_can_be_removed_before_certification(
    member: Client, entered: Certificate
) -> None:
    member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()})
    member.post(url("signed_scan_remove", entered.dossier))
    entered.refresh_from_db()
    assert not entered.signed_scan


def test_certifier_certifies_freezes_the_hours_and_tells_everyone(
    member: Client,
    world: World,
    entered: Certificate,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()})
    member.post(url("sheet_add", entered.dossier), {"sheet": pdf("emargement-mars.pdf")})
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(url("certify", entered.dossier), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302
    entered.refresh_from_db()
    assert entered.status == MonthStatus.CERTIFIED
    assert entered.certification_method == CertificationMethod.PAPER
    assert entered.certified_by == world.of_user and entered.certified_at is not None
    assert entered.certified_ip == "198.51.100.4"
    event = AuditEvent.objects.get(action="certificate.certified")
    assert event.ip == "198.51.100.4" and event.payload["attendance_sheets"] == 1
    assert entered.versions.order_by("-number").first().reason == VersionReason.SIGNED

    run_background_jobs()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    beneficiary = world.dossier.beneficiary.email
    assert recipients == sorted([beneficiary, world.employer.email, settings.FUNDER_EMAIL])
    month_url = url("month", entered.dossier)
    for message in mail.outbox:
        assert month_url in message.body
        assert not message.attachments  # a link, never the PDF
    with pytest.raises(NotNow):
        enter(entered.dossier, world.of_user, version=entered.version)
    page = member.get(url("month", entered.dossier)).text
    assert "Certifié par l&#x27;organisme" in page and "Étape 2" not in page


def test_certifying_twice_is_a_notice_not_an_error(member: Client, entered: Certificate) -> None:
    member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()})
    member.post(url("certify", entered.dossier))
    again = member.post(url("certify", entered.dossier), follow=True)
    assert again.status_code == 200
    assert "Ce certificat de réalisation est déjà certifié." in again.text
    with pytest.raises(AlreadyDone):
        certify_paper(entered, actor=entered.entered_by, request=None)


def test_documents_cannot_change_after_certification(member: Client, entered: Certificate) -> None:
    member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()})
    member.post(url("certify", entered.dossier))
    entered.refresh_from_db()
    kept = entered.signed_scan.name
    member.post(url("signed_scan_remove", entered.dossier))
    member.post(url("sheet_add", entered.dossier), {"sheet": pdf()})
    entered.refresh_from_db()
    assert entered.signed_scan.name == kept
    assert not AttendanceSheet.objects.exists()


@pytest.mark.parametrize("role", ["other_of_user", "other_of_admin", "other_beneficiary"])
def test_a_forged_certifier_on_another_organisation_month_gets_404(
    client: Client, world: World, entered: Certificate, role: str
) -> None:
    client.force_login(world.user(role))
    assert client.post(url("certify", entered.dossier)).status_code == 404
    assert (
        client.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()}).status_code
        == 404
    )
    entered.refresh_from_db()
    assert entered.status == MonthStatus.ENTERED and not entered.signed_scan


@pytest.mark.parametrize("role", ["beneficiary", "employer", "agent"])
def test_only_the_organisation_certifies(
    client: Client, world: World, entered: Certificate, role: str
) -> None:
    client.force_login(world.user(role))
    assert client.post(url("certify", entered.dossier)).status_code == 403
    assert client.get(url("month", entered.dossier)).status_code == 200


def test_attendance_sheets_are_the_organisation_and_funder_business(
    member: Client, client: Client, world: World, entered: Certificate
) -> None:
    member.post(url("sheet_add", entered.dossier), {"sheet": pdf("feuille.pdf")})
    sheet = AttendanceSheet.objects.get()
    assert member.get(url("sheet_file", entered.dossier, sheet.pk)).status_code == 200
    for role, status in [("agent", 200), ("beneficiary", 403), ("employer", 403)]:
        client.force_login(world.user(role))
        assert client.get(url("sheet_file", entered.dossier, sheet.pk)).status_code == status
    client.force_login(world.of_user)
    client.post(url("sheet_remove", entered.dossier, sheet.pk))
    assert not AttendanceSheet.objects.exists()


def test_the_reminders_follow_the_identity(world: World, dossier: Dossier) -> None:
    organisation = dossier.organisation
    assert (
        "La certification étant valide, le process suit son cours."
        in completeness_reminders(organisation)[0]
    )
    organisation.legal_representative = "Sophie Lambert"
    organisation.logo.save(
        "logo.png", SimpleUploadedFile("l.png", logo_png("L", "#000")), save=True
    )
    assert "cachet" in completeness_reminders(organisation)[0]
    organisation.stamp.save(
        "cachet.png", SimpleUploadedFile("c.png", logo_png("C", "#000")), save=True
    )
    assert completeness_reminders(organisation) == []


def test_an_incomplete_identity_reminds_but_does_not_block(
    member: Client, entered: Certificate
) -> None:
    page = member.get(url("month", entered.dossier)).text
    assert "La certification étant valide, le process suit son cours." in page
    member.post(url("signed_scan_upload", entered.dossier), {"signed_scan": pdf()})
    member.post(url("certify", entered.dossier))
    entered.refresh_from_db()
    assert entered.status == MonthStatus.CERTIFIED


def test_certify_paper_refuses_without_a_scan_in_the_service(
    world: World, entered: Certificate
) -> None:
    with pytest.raises(CertificationRefused):
        certify_paper(entered, actor=world.of_user, request=None)
    assert entered.month == MARCH
