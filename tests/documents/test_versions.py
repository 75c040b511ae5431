"""Each generation stores a new immutable version; the latest is the one shown."""

from __future__ import annotations

import hashlib

import pytest

from realisa.audit.models import AuditEvent
from realisa.choices import CertificationMethod, MonthStatus, VersionReason
from realisa.documents import render
from realisa.documents.data import certificate_data
from realisa.documents.models import CertificateVersion, Immutable
from realisa.documents.services import (
    generate_version,
    latest_version,
    normalise_reference,
)
from tests.documents.conftest import make_certificate
from tests.factories import UserFactory


def test_a_generation_stores_the_pdf_with_its_hash_hours_and_origin(db: None) -> None:
    certificate = make_certificate()
    actor = UserFactory(role="of_user", organisation=certificate.dossier.organisation)
    version = generate_version(certificate, reason=VersionReason.ENTRY, actor=actor)

    with version.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert (version.number, version.reason, version.status) == (
        1,
        VersionReason.ENTRY,
        MonthStatus.ENTERED,
    )
    assert (version.centre_minutes, version.internship_minutes, version.absence_minutes) == (
        certificate.centre_minutes,
        certificate.internship_minutes,
        certificate.absence_minutes,
    )
    assert version.created_by == actor
    assert version.file.name.startswith("certificates/")
    assert "certificat" not in version.file.name.removeprefix("certificates/")


def test_a_new_generation_never_overwrites_the_previous_one(db: None) -> None:
    certificate = make_certificate()
    first = generate_version(certificate, reason=VersionReason.ENTRY, actor=None)
    certificate.centre_minutes += 60
    certificate.save(update_fields=["centre_minutes"])
    second = generate_version(certificate, reason=VersionReason.ENTRY, actor=None)

    assert second.number == 2
    assert first.file.name != second.file.name
    assert first.sha256 != second.sha256
    assert first.reference != second.reference
    first.refresh_from_db()
    assert first.centre_minutes == second.centre_minutes - 60
    assert first.file.storage.exists(first.file.name)
    assert latest_version(certificate) == second


def test_a_version_cannot_be_changed_nor_deleted(db: None) -> None:
    version = generate_version(make_certificate(), reason=VersionReason.ENTRY, actor=None)
    version.reason = VersionReason.CERTIFICATION
    with pytest.raises(Immutable):
        version.save()
    with pytest.raises(Immutable):
        version.delete()
    with pytest.raises(Immutable):
        CertificateVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    with pytest.raises(Immutable):
        CertificateVersion.objects.filter(pk=version.pk).delete()


def test_each_generation_is_recorded_in_the_audit_chain(db: None) -> None:
    certificate = make_certificate()
    version = generate_version(certificate, reason=VersionReason.CERTIFICATION, actor=None)
    event = AuditEvent.objects.get(action="certificate.pdf_generated")
    assert event.object_id == str(certificate.pk)
    assert event.payload == {
        "version": 1,
        "reference": version.reference,
        "reason": "certification",
        "sha256": version.sha256,
    }


@pytest.mark.parametrize("method", ["", CertificationMethod.PAPER, CertificationMethod.ONLINE])
def test_the_page_never_prints_the_stamp_the_seal_does(db: None, method: str) -> None:
    """The stamp is drawn once, by the seal, in the frame the page leaves empty."""
    certificate = make_certificate(certification_method=method, status=MonthStatus.CERTIFIED)
    data = certificate_data(
        certificate, reference="RC-0000-0000-0000", version=1, issued_on=certificate.month
    )
    assert "stamp" not in render.template_inputs(data)
    assert not any("stamp" in name for name in data.template_fields())


@pytest.mark.parametrize(
    "typed",
    ["RC-7K4M-9QX2-HP3D", "rc 7k4m 9qx2 hp3d", "7K4M9QX2HP3D", " RC-7K4M-9QX2-HP3D\n"],
)
def test_a_reference_is_recognised_however_it_is_typed(typed: str) -> None:
    assert normalise_reference(typed) == "RC-7K4M-9QX2-HP3D"


def test_letters_mistaken_for_digits_are_corrected() -> None:
    assert normalise_reference("RC-OK4M-IQX2-HP3L") == "RC-0K4M-1QX2-HP31"
