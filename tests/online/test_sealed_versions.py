"""The certified and the final versions: sealed (pdfsig, pyHanko), with their evidence."""

from __future__ import annotations

import io
import json
from typing import Any

import pypdf
import pytest

from realisa.certificates.models import Certificate
from realisa.certificates.online import certify_online, request_code
from realisa.certificates.validation import validate_hours
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.models import CertificationEvidence
from realisa.documents.sealing import verify_pdf
from realisa.documents.sealing_keys import seal_keys
from realisa.documents.services import latest_version
from realisa.notifications.models import OutboxEmail
from tests.conftest import World
from tests.online.conftest import AGENT, IP, web

pytestmark = pytest.mark.django_db


def certify(world: World, certificate: Certificate) -> Certificate:
    code = request_code(certificate, actor=world.of_user, request=web(world.of_user)).code
    return certify_online(certificate, code, actor=world.of_user, request=web(world.of_user))


def pdf_of(certificate: Certificate) -> bytes:
    version = latest_version(certificate)
    assert version is not None
    with version.file.open("rb") as handle:
        return handle.read()


def embedded_evidence(pdf: bytes) -> dict[str, Any]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    (content,) = reader.attachments["preuve.json"]
    return json.loads(content)  # type: ignore[no-any-return]


def assert_sealed(pdf: bytes, pdfsig: Any) -> None:
    report = pdfsig(pdf)
    assert "Signature is Valid" in report
    assert "Total document signed" in report
    result = verify_pdf(pdf)
    assert result.ok, result.message
    (check,) = result.signatures
    assert check.intact and check.valid and check.trusted and check.entire_document


def test_the_certified_version_is_sealed_with_its_evidence(
    ready: World, entered: Certificate, pdfsig: Any
) -> None:
    entry_version = latest_version(entered)
    certificate = certify(ready, entered)
    version = latest_version(certificate)
    assert version is not None and version.reason == VersionReason.CERTIFICATION
    pdf = pdf_of(certificate)

    assert_sealed(pdf, pdfsig)
    assert verify_pdf(pdf).signatures[0].organisation == ready.dossier.organisation.name
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "Dossier de preuve" in reader.pages[1].extract_text()
    evidence = embedded_evidence(pdf)
    section = evidence["certification"]
    assert entry_version is not None
    assert section["version_certifiee_sha256"] == entry_version.sha256
    assert section["certificateur_nom"] == ready.of_user.get_full_name()
    assert section["organisme_siret"] == ready.dossier.organisation.siret
    assert section["code_essais"] == 1 and "***@" in section["code_envoye_a"]
    assert section["texte_certifie"].startswith("Je certifie, pour ")
    assert evidence["sceau"]["certificat_empreinte_sha256"] == seal_keys().fingerprint
    stored = CertificationEvidence.objects.get(version=version)
    assert evidence["dossier_de_preuve_complet"]["sha256"] == stored.sha256
    assert stored.data["sceau_resultat"]["niveau"] == "PAdES B-B"
    full = stored.data["certification"]
    assert full["certificateur_identifiant"] == ready.of_user.username
    assert (full["adresse_ip"], full["navigateur"]) == (IP, AGENT)
    assert {key: full[key] for key in section} == section  # the shared part is the full's


def test_certifying_online_invites_the_beneficiary_and_tells_employer_and_funder(
    ready: World, entered: Certificate
) -> None:
    certify(ready, entered)

    invitation = OutboxEmail.objects.get(kind="validation_requested")
    assert invitation.to == [ready.dossier.beneficiary.email]
    assert "/validation/" in invitation.body_text
    told = OutboxEmail.objects.filter(kind="certificate_available")
    addresses = sorted(address for email in told for address in email.to)
    assert addresses == sorted([ready.employer.email, "certificats@transitionspro-ge.localhost"])


def test_validation_makes_the_final_complete_version_sealed_with_both_evidences(
    ready: World, entered: Certificate, pdfsig: Any
) -> None:
    certificate = certify(ready, entered)
    validated = validate_hours(certificate, actor=ready.beneficiary, request=web(ready.beneficiary))

    assert validated.status == MonthStatus.VALIDATED and validated.validated_at is not None
    version = latest_version(validated)
    assert version is not None and version.reason == VersionReason.VALIDATION
    assert version.status == MonthStatus.VALIDATED
    pdf = pdf_of(validated)
    assert_sealed(pdf, pdfsig)
    evidence = embedded_evidence(pdf)
    assert evidence["validation"]["mode"] == "Validé par le bénéficiaire"
    assert evidence["validation"]["decision"] == "« Valider les heures »"
    assert "adresse_ip" not in evidence["validation"]
    assert evidence["certification_scellee"]["niveau"] == "PAdES B-B"
    full = CertificationEvidence.objects.get(version=version).data
    assert full["validation"]["identifiant"] == ready.beneficiary.username
    assert full["validation"]["adresse_ip"] == IP
    assert full["certification"]["certificateur_identifiant"] == ready.of_user.username
    final = OutboxEmail.objects.get(kind="hours_validated")
    assert "certificats@transitionspro-ge.localhost" in final.to


def test_one_flipped_byte_fails_the_certified_version(
    ready: World, entered: Certificate, pdfsig: Any
) -> None:
    pdf = pdf_of(certify(ready, entered))
    position = len(pdf) // 3
    tampered = pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]

    assert "Signature is Valid" not in pdfsig(tampered)
    assert not verify_pdf(tampered).ok
