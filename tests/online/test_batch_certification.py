"""« Certifier en lot »: several months certified online with one e-mailed code, each sealed
on its own with its evidence, a sealed manifest of references and SHA-256s only."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pypdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from realisa.audit.models import AuditEvent
from realisa.certificates import batch_certification as batches
from realisa.certificates.batch_certification import (
    CHANGED,
    certifiable_months,
    confirm_batch,
    open_batch,
    request_batch_code,
    run_batch,
)
from realisa.certificates.lifecycle import AlreadyDone
from realisa.certificates.models import BatchLine, Certificate, CertificationBatch
from realisa.certificates.online import OnlineRefused
from realisa.choices import CertificationMethod, MonthStatus, VersionReason
from realisa.documents.models import CertificationEvidence
from realisa.documents.seal_verification import verify_pdf
from realisa.documents.services import latest_version
from realisa.lib.background import run_pending
from realisa.lib.errors import NotAllowed
from realisa.notifications.models import OutboxEmail
from tests.conftest import World
from tests.factories import BeneficiaryFactory, DossierFactory, PaymentFactory
from tests.online.conftest import HOUR, TOTALS, enter, web

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture
def months(ready: World) -> list[Certificate]:
    """February and March of the world's dossier, March of a second trainee's: entered."""
    second = DossierFactory(
        organisation=ready.dossier.organisation, beneficiary=BeneficiaryFactory(with_login=True)
    )
    february = enter(ready, month=FEBRUARY, gap_reason="Pas de calendrier en février")
    march = enter(ready)
    ready.dossier, kept = second, ready.dossier
    other = enter(ready, gap_reason="Pas de calendrier pour ce dossier")
    ready.dossier = kept
    return [february, march, other]


def pdf_of(certificate: Certificate) -> bytes:
    version = latest_version(certificate)
    assert version is not None
    with version.file.open("rb") as handle:
        return handle.read()


def attachment(pdf: bytes, name: str) -> bytes:
    (content,) = pypdf.PdfReader(io.BytesIO(pdf)).attachments[name]
    return content  # type: ignore[no-any-return]


def certified_batch(world: World, months: list[Certificate]) -> CertificationBatch:
    batch = open_batch(world.of_user, [m.pk for m in months])
    code = request_batch_code(batch, actor=world.of_user, request=web(world.of_user)).code
    return confirm_batch(batch, code, actor=world.of_user, request=web(world.of_user))


def test_the_certifiable_months_are_the_entered_ones_across_dossiers(
    ready: World, months: list[Certificate]
) -> None:
    assert [c.pk for c in certifiable_months(ready.of_user)] == [m.pk for m in months]
    assert certifiable_months(ready.of_admin) == []  # no « certification » box
    assert certifiable_months(ready.other_of_user) == []


def test_one_code_certifies_every_month_each_sealed_with_its_evidence(
    ready: World, months: list[Certificate]
) -> None:
    batch = certified_batch(ready, months)
    batch.refresh_from_db()
    assert batch.state == CertificationBatch.State.DONE
    assert set(batch.lines.values_list("outcome", flat=True)) == {"certified"}
    for month in months:
        month.refresh_from_db()
        assert month.status == MonthStatus.CERTIFIED
        assert month.certification_method == CertificationMethod.ONLINE
        assert month.certified_ip == "203.0.113.7"
        pdf = pdf_of(month)
        assert verify_pdf(pdf).ok
        shared = json.loads(attachment(pdf, "preuve.json"))
        assert shared["lot"]["reference"] == batch.reference
        assert shared["lot"]["manifeste_sha256"] == batch.manifest_sha256
        assert shared["lot"]["texte_certifie"].startswith("Je certifie, pour ")
        assert month.dossier.number in shared["lot"]["texte_certifie"]
    assert AuditEvent.objects.filter(action="online.code_verified").count() == 1


def test_the_sealed_manifest_holds_references_and_hashes_only(
    ready: World, months: list[Certificate]
) -> None:
    batch = certified_batch(ready, months)
    batch.refresh_from_db()
    with batch.manifest.open("rb") as handle:
        sealed = handle.read()
    assert verify_pdf(sealed).ok
    embedded = attachment(sealed, "manifeste.json")
    import hashlib

    assert hashlib.sha256(embedded).hexdigest() == batch.manifest_sha256
    manifest = json.loads(embedded)
    shown = [line.version_sha256 for line in batch.lines.all()]
    assert [v["sha256"] for v in manifest["versions"]] == shown
    for month in months:
        names = (month.dossier.beneficiary.last_name, month.dossier.beneficiary.first_name)
        assert not any(name in embedded.decode() for name in names)
    assert str(TOTALS.centre) not in json.dumps(manifest["versions"])


def test_notifications_once_per_certificate_and_one_digest_for_the_funder(
    ready: World, months: list[Certificate]
) -> None:
    certified_batch(ready, months)
    assert OutboxEmail.objects.filter(kind="validation_requested").count() == 3
    assert OutboxEmail.objects.filter(kind="batch_certified").count() == 1
    told = OutboxEmail.objects.filter(kind="certificate_available")
    assert told.exists() and not [e for e in told if settings.FUNDER_EMAIL in e.to]
    digest = OutboxEmail.objects.get(kind="batch_certified")
    assert "3 mois certifiés" in digest.subject


def test_a_month_changed_since_the_summary_fails_and_the_others_go_on(
    ready: World, months: list[Certificate]
) -> None:
    batch = open_batch(ready.of_user, [m.pk for m in months])
    code = request_batch_code(batch, actor=ready.of_user, request=web(ready.of_user)).code
    enter(ready, version=1, hours=TOTALS.__class__(centre=21 * HOUR))  # March edited
    confirm_batch(batch, code, actor=ready.of_user, request=web(ready.of_user))
    outcomes = {line.certificate_id: (line.outcome, line.reason) for line in batch.lines.all()}
    assert outcomes[months[1].pk] == ("failed", CHANGED)
    assert outcomes[months[0].pk][0] == outcomes[months[2].pk][0] == "certified"
    months[1].refresh_from_db()
    assert months[1].status == MonthStatus.ENTERED


def test_a_payment_recorded_since_the_summary_fails_its_line_with_the_lifecycle_reason(
    ready: World, months: list[Certificate]
) -> None:
    batch = open_batch(ready.of_user, [m.pk for m in months])
    code = request_batch_code(batch, actor=ready.of_user, request=web(ready.of_user)).code
    PaymentFactory(dossier=ready.dossier, period_start=FEBRUARY, period_end=date(2026, 2, 28))
    confirm_batch(batch, code, actor=ready.of_user, request=web(ready.of_user))
    line = batch.lines.get(certificate=months[0])
    months[0].refresh_from_db()
    # a payment stops changes, not certification: February is certified all the same
    assert (line.outcome, months[0].status) == ("certified", MonthStatus.CERTIFIED)


def test_the_same_code_is_refused_for_a_second_batch_and_a_second_time(
    ready: World, months: list[Certificate]
) -> None:
    first = open_batch(ready.of_user, [months[0].pk])
    second = open_batch(ready.of_user, [months[1].pk])
    code = request_batch_code(first, actor=ready.of_user, request=web(ready.of_user)).code
    with pytest.raises(
        OnlineRefused, match="Aucun code de vérification n'est en cours pour ce lot"
    ):
        confirm_batch(second, code, actor=ready.of_user, request=web(ready.of_user))
    request_batch_code(second, actor=ready.of_user, request=web(ready.of_user))
    wrong = code if code != "0000" else "0001"
    with pytest.raises(OnlineRefused, match="Code erroné"):
        confirm_batch(second, wrong, actor=ready.of_user, request=web(ready.of_user))
    confirm_batch(first, code, actor=ready.of_user, request=web(ready.of_user))
    with pytest.raises(AlreadyDone):
        confirm_batch(first, code, actor=ready.of_user, request=web(ready.of_user))
    months[1].refresh_from_db()
    assert months[1].status == MonthStatus.ENTERED


def test_running_a_batch_again_certifies_nothing_twice(
    ready: World, months: list[Certificate]
) -> None:
    batch = certified_batch(ready, months)
    CertificationBatch.objects.filter(pk=batch.pk).update(state="running")  # as if re-queued
    BatchLine.objects.filter(batch=batch).update(outcome="pending")
    run_batch(batch.pk)
    for month in months:
        assert month.versions.filter(reason=VersionReason.CERTIFICATION).count() == 1
    assert AuditEvent.objects.filter(action="certificate.certified").count() == 3


def test_a_larger_batch_runs_in_the_background(
    ready: World,
    months: list[Certificate],
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(batches, "RUN_AT_ONCE", 2)
    with django_capture_on_commit_callbacks(execute=True):
        batch = certified_batch(ready, months)
    assert batch.state == CertificationBatch.State.RUNNING
    assert set(batch.lines.values_list("outcome", flat=True)) == {"pending"}
    assert run_pending() >= 1
    batch.refresh_from_db()
    assert batch.state == CertificationBatch.State.DONE


def test_the_funder_can_switch_batches_off(ready: World, months: list[Certificate]) -> None:
    with override_settings(BATCH_ONLINE_CERTIFICATION=False), pytest.raises(NotAllowed):
        open_batch(ready.of_user, [months[0].pk])


def test_a_batch_whose_task_was_lost_is_resumed_by_the_schedule(
    ready: World, months: list[Certificate], monkeypatch: Any, clock: Any
) -> None:
    monkeypatch.setattr(batches, "RUN_AT_ONCE", 0)  # queued: and the queue is lost
    batch = certified_batch(ready, months)
    assert batches.resume_batches() == 0  # confirmed a moment ago: its task may still run
    clock.shift(6 * 60)
    out = io.StringIO()
    call_command("resume_batches", stdout=out)
    assert out.getvalue().strip() == "1 lot repris."
    batch.refresh_from_db()
    assert batch.state == CertificationBatch.State.DONE
    assert set(batch.lines.values_list("outcome", flat=True)) == {"certified"}


def test_each_month_s_full_evidence_holds_the_batch_code_s_history(
    ready: World, months: list[Certificate]
) -> None:
    batch = certified_batch(ready, months)
    evidence = CertificationEvidence.objects.filter(certificate=months[0]).latest("pk")
    history = [step["evenement"] for step in evidence.data["certification"]["historique_code"]]
    assert history == [
        "Code de vérification demandé",
        "Code de vérification envoyé",
        "Code de vérification accepté",
    ]
    assert evidence.data["lot"]["reference"] == batch.reference
