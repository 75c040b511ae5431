"""Upgrading: the events written before the chain was keyed stay as they are, one keyed
event closes them; the files stored before their SHA-256 was recorded get it; production
is warned when the chain's key is missing."""

from __future__ import annotations

import hashlib
import importlib
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from realisa.audit.events import EventType
from realisa.audit.hashing import unkeyed_hash
from realisa.audit.log import first_broken_event, record
from realisa.audit.models import GENESIS, AuditChainHead, AuditEvent
from realisa.certificates.certification import replace_signed_scan
from realisa.certificates.models import AttendanceSheet, Certificate
from realisa.demo.files import one_page_pdf
from realisa.organisations.models import CertifierDocument
from tests.conftest import World
from tests.factories import CertificateFactory
from tests.integrity.conftest import raw, rehash_from, verification_error

EDITOR = SimpleNamespace(connection=connection)


def _migration(name: str) -> Any:
    return importlib.import_module(name)


def key_the_chain() -> None:
    _migration("realisa.audit.migrations.0003_keyed_chain").key_the_chain(apps, EDITOR)


def unkeyed_chain(count: int) -> list[AuditEvent]:
    """Events as the portal wrote them before the chain was keyed."""
    events, previous = [], GENESIS
    for n in range(count):
        event = AuditEvent(created_at=timezone.now(), action=f"old{n}", prev_hash=previous)
        event.hash = previous = unkeyed_hash(event)
        event.save()
        events.append(event)
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": previous})
    return events


def test_upgrading_closes_the_old_chain_with_one_keyed_event(world: World, capsys: Any) -> None:
    old = unkeyed_chain(3)
    key_the_chain()
    key_the_chain()  # run twice: still one
    bridge = AuditEvent.objects.get(action=EventType.CHAIN_KEYED)
    assert list(AuditEvent.objects.order_by("id")) == [*old, bridge]
    assert [e.hash for e in AuditEvent.objects.order_by("id")[:3]] == [e.hash for e in old]
    assert bridge.prev_hash == old[-1].hash and bridge.key_id
    assert bridge.payload == {
        "unkeyed_head": old[-1].hash,
        "unkeyed_events": 3,
        "head_row": old[-1].hash,
    }
    record("new", actor=world.agent)
    call_command("verify_audit_chain")
    assert "Chaîne intacte : 5 événements vérifiés." in capsys.readouterr().out


def test_an_empty_chain_needs_no_closing_event(db: None) -> None:
    key_the_chain()
    assert not AuditEvent.objects.exists()


def test_an_old_event_rewritten_after_the_upgrade_is_caught(world: World) -> None:
    old = unkeyed_chain(3)
    key_the_chain()
    raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["forged", old[1].pk])
    rehash_from(1)
    bridge = AuditEvent.objects.get(action=EventType.CHAIN_KEYED)
    assert f"n° {bridge.pk}" in str(verification_error())


def test_a_chain_never_closed_by_the_key_is_refused(db: None) -> None:
    unkeyed_chain(2)
    assert first_broken_event() is not None
    assert "Aucun événement de la chaîne n'est scellé par la clé" in str(verification_error())


def _store(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


def test_files_stored_before_get_their_sha256_and_a_lost_one_is_reported(world: World) -> None:
    scan = CertificateFactory(dossier=world.dossier, certified=True)
    Certificate.objects.filter(pk=scan.pk).update(signed_scan_sha256="")
    sheet = AttendanceSheet.objects.create(
        certificate=scan, file=_store("attendance-sheets/a.pdf", b"%PDF-1 a"), original_name="a"
    )
    kbis = CertifierDocument.objects.create(
        organisation=world.dossier.organisation, kind="kbis", file=_store("k/kbis.pdf", b"%PDF k")
    )
    lost = CertifierDocument.objects.create(
        organisation=world.dossier.organisation, kind="consent_letter", file="k/lost.pdf"
    )
    _migration("realisa.certificates.migrations.0007_stored_files_sha256").fill_sha256(apps, EDITOR)
    _migration("realisa.organisations.migrations.0002_certifier_document_sha256").fill_sha256(
        apps, EDITOR
    )
    for stored in (scan, sheet, kbis, lost):
        stored.refresh_from_db()
    assert scan.signed_scan_sha256 == hashlib.sha256(b"%PDF-1.4 scan").hexdigest()
    assert sheet.sha256 == hashlib.sha256(b"%PDF-1 a").hexdigest()
    assert kbis.sha256 == hashlib.sha256(b"%PDF k").hexdigest()
    assert lost.sha256 == ""
    error = str(verification_error())
    assert "Fichier manquant : Lettre de consentement" in error and "k/lost.pdf" in error
    assert error.count("Fichier") == 1


def test_a_swapped_file_with_its_recorded_sha256_changed_too_is_caught(world: World) -> None:
    certificate = CertificateFactory(dossier=world.dossier)
    scan = SimpleUploadedFile("scan.pdf", one_page_pdf("Certificat"), "application/pdf")
    replace_signed_scan(certificate, scan, actor=world.of_user, request=None)
    certificate.refresh_from_db()
    other = one_page_pdf("Autre certificat")
    default_storage.delete(certificate.signed_scan.name)
    default_storage.save(certificate.signed_scan.name, ContentFile(other))
    Certificate.objects.filter(pk=certificate.pk).update(
        signed_scan_sha256=hashlib.sha256(other).hexdigest()
    )
    assert "Empreinte modifiée : certificat signé" in str(verification_error())


def test_production_is_warned_when_the_chain_key_is_missing(settings: Any) -> None:
    settings.DEBUG, settings.DEMO_MODE, settings.AUDIT_HMAC_KEY = False, False, ""
    assert "audit.W001" in [message.id for message in run_checks()]
    settings.AUDIT_HMAC_KEY = "une-cle-de-production-tiree-au-hasard"
    assert "audit.W001" not in [message.id for message in run_checks()]
    settings.AUDIT_HMAC_KEY, settings.DEBUG = "", True
    assert "audit.W001" not in [message.id for message in run_checks()]
