"""The funder's check: the queue, « Conforme », « Non conforme » with its reason, the e-mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from realisa.audit.models import AuditEvent
from realisa.choices import ReviewStatus
from realisa.organisations.models import CertifierDocument, Organisation
from realisa.organisations.review import ReviewError, review_document
from tests.conftest import World, run_background_jobs
from tests.factories import OrganisationFactory
from tests.identity.conftest import add_document, complete_identity


def decide(client: Client, document: CertifierDocument, decision: str, reason: str = ""):
    prefix = f"doc{document.pk}"
    return client.post(
        reverse("funder:review_document", args=[document.pk]),
        {
            f"{prefix}-decision": decision,
            f"{prefix}-refusal_reason": reason,
            f"{prefix}-seen_file": document.file.name,
        },
        follow=True,
    )


def test_the_queue_lists_waiting_organisations_oldest_first(world: World, client: Client) -> None:
    late, early, done = (OrganisationFactory(is_certifier=True) for _ in range(3))
    add_document(late, "kbis")
    add_document(early, "consent_letter")
    add_document(done, "kbis", review_status=ReviewStatus.COMPLIANT)
    CertifierDocument.objects.filter(organisation=early).update(
        uploaded_at=timezone.now() - timedelta(days=3)
    )
    client.force_login(world.agent)
    page = client.get(reverse("funder:review_queue")).text
    assert page.index(early.name) < page.index(late.name)
    assert done.name not in page
    assert "Contrôle des justificatifs" in page


def test_the_review_round_trip_with_its_emails(
    world: World, client: Client, organisation: Organisation, django_capture_on_commit_callbacks
) -> None:
    complete_identity(organisation)
    kbis, letter = add_document(organisation, "kbis"), add_document(organisation, "consent_letter")
    client.force_login(world.agent)
    page = client.get(reverse("funder:review_organisation", args=[organisation.pk])).text
    assert reverse("funder:review_document_file", args=[kbis.pk]) in page  # shown inline

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, kbis, "compliant")
    assert "Extrait KBIS : contrôlé conforme. L&#x27;organisme est prévenu." in response.text
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, letter, "non_compliant", "La lettre n'est pas signée.")

    kbis.refresh_from_db()
    letter.refresh_from_db()
    assert kbis.review_status == ReviewStatus.COMPLIANT and kbis.reviewed_by == world.agent
    assert kbis.reviewed_at is not None
    assert letter.review_status == ReviewStatus.NON_COMPLIANT
    assert letter.refusal_reason == "La lettre n'est pas signée."
    run_background_jobs()
    assert [m.to for m in mail.outbox] == [[world.of_admin.email], [world.of_admin.email]]
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert mail.outbox[0].subject == f"Extrait KBIS contrôlé conforme — {organisation.name}"
    assert f"contrôlé le {today}" in mail.outbox[0].body
    assert "Motif : La lettre n'est pas signée." in mail.outbox[1].body
    assert "Lettre de consentement non conforme" in mail.outbox[1].subject
    assert not organisation.is_online_ready

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, letter, "compliant")
    organisation.refresh_from_db()
    assert organisation.is_online_ready
    assert AuditEvent.objects.filter(action__startswith="certifier_document.").count() == 3

    client.force_login(world.of_admin)
    page = client.get(reverse("organisations:identity")).text
    assert f"Contrôlé le {today}" in page  # the KBIS
    assert f"Contrôlée le {today}" in page  # the consent letter
    assert "Votre organisme peut certifier les heures en 100 % dématérialisé" in page


def test_non_conforme_needs_a_reason(
    world: World, client: Client, organisation: Organisation
) -> None:
    kbis = add_document(organisation, "kbis")
    client.force_login(world.agent)
    response = decide(client, kbis, "non_compliant", "   ")
    assert response.status_code == 200
    assert "Indiquez le motif du refus" in response.text
    kbis.refresh_from_db()
    assert kbis.review_status == ReviewStatus.PENDING
    run_background_jobs()
    assert len(mail.outbox) == 0


def test_a_document_replaced_meanwhile_is_not_marked_unseen(
    world: World, client: Client, organisation: Organisation
) -> None:
    kbis = add_document(organisation, "kbis")
    seen = kbis.file.name
    CertifierDocument.objects.filter(pk=kbis.pk).update(file="certifier-documents/new.pdf")
    with pytest.raises(ReviewError, match="remplacé entre-temps"):
        review_document(world.agent, kbis.pk, compliant=True, seen_file=seen)


def test_only_agents_review(world: World, client: Client, organisation: Organisation) -> None:
    kbis = add_document(organisation, "kbis")
    client.force_login(world.of_admin)
    assert decide(client, kbis, "compliant").status_code == 403
    with pytest.raises(ReviewError):
        review_document(world.of_admin, kbis.pk, compliant=True, seen_file=kbis.file.name)
    kbis.refresh_from_db()
    assert kbis.review_status == ReviewStatus.PENDING


def test_the_agent_sees_the_document_inline_and_can_download_it(
    world: World, client: Client, organisation: Organisation
) -> None:
    kbis = add_document(organisation, "kbis")
    client.force_login(world.agent)
    url = reverse("funder:review_document_file", args=[kbis.pk])
    shown = client.get(url)
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert client.get(url, {"telecharger": "1"})["Content-Disposition"].startswith("attachment;")
