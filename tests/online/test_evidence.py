"""The « dossier de preuve » split in two: the certificate every party receives carries its
shared part; the full evidence (logins, e-mail, IP addresses, browsers, the code's history)
is its own sealed PDF for the organisation and the funder; the beneficiary downloads the
evidence of their own answer."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime
from typing import Any

import pypdf
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.certificates.abilities import abilities_of
from realisa.certificates.models import Certificate
from realisa.certificates.validation import contest_hours, validate_hours
from realisa.choices import ValidationKind, VersionReason
from realisa.documents.evidence import shared_evidence, validation_section
from realisa.documents.models import CertificationEvidence
from realisa.documents.sealed import sealed_version
from realisa.documents.services import latest_version
from tests.conftest import World
from tests.online.conftest import AGENT, IP
from tests.online.test_sealed_versions import assert_sealed, certify, embedded_evidence, pdf_of

pytestmark = pytest.mark.django_db

BENEFICIARY_IP = "198.51.100.8"
BENEFICIARY_AGENT = "Mozilla/5.0 (beneficiaire) Safari/605.1"


def beneficiary_request(user: Any) -> Any:
    request = RequestFactory().post(
        "/", REMOTE_ADDR=BENEFICIARY_IP, HTTP_USER_AGENT=BENEFICIARY_AGENT
    )
    request.user = user
    return request


@pytest.fixture
def certified(ready: World, entered: Certificate) -> Certificate:
    return certify(ready, entered)


@pytest.fixture
def validated(ready: World, certified: Certificate) -> Certificate:
    request = beneficiary_request(ready.beneficiary)
    return validate_hours(certified, actor=ready.beneficiary, request=request)


def evidence_of(certificate: Certificate) -> CertificationEvidence:
    return CertificationEvidence.objects.get(version=latest_version(certificate))


def read(evidence: CertificationEvidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return bytes(handle.read())


def attachment(pdf: bytes, name: str) -> dict[str, Any]:
    (content,) = pypdf.PdfReader(io.BytesIO(pdf)).attachments[name]
    return json.loads(content)  # type: ignore[no-any-return]


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def month_url(world: World, name: str = "month", *extra: Any) -> str:
    return reverse(f"certificates:{name}", args=[world.dossier.number, 2026, 3, *extra])


def test_the_full_evidence_is_a_sealed_pdf_that_the_certificate_names_by_its_sha256(
    ready: World, certified: Certificate, pdfsig: Any
) -> None:
    stored = evidence_of(certified)
    full_pdf = read(stored)

    assert_sealed(full_pdf, pdfsig)
    assert hashlib.sha256(full_pdf).hexdigest() == stored.sha256
    shared = embedded_evidence(pdf_of(certified))
    assert shared["dossier_de_preuve_complet"]["sha256"] == stored.sha256
    full = attachment(full_pdf, "preuve-complete.json")
    section = full["certification"]
    assert section["certificateur_identifiant"] == ready.of_user.username
    assert section["certificateur_email"] == ready.of_user.email
    assert (section["adresse_ip"], section["navigateur"]) == (IP, AGENT)
    history = section["historique_code"]
    assert history[0]["evenement"] == "Code de vérification demandé"
    assert history[-1]["evenement"] == "Code de vérification accepté"
    assert {(step["identifiant"], step["adresse_ip"]) for step in history} == {
        (ready.of_user.username, IP)
    }
    assert {key: value for key, value in stored.data.items() if key in full} == full
    text = text_of(full_pdf)
    assert "Dossier de preuve complet" in text and "Document confidentiel" in text
    assert IP in text and ready.of_user.username in text


def test_the_certificate_carries_only_the_shared_part(ready: World, certified: Certificate) -> None:
    pdf = pdf_of(certified)
    shared = embedded_evidence(pdf)
    section = shared["certification"]

    assert section["certificateur_nom"] == ready.of_user.get_full_name()
    assert ready.dossier.organisation.name in section["certificateur_qualite"]
    assert section["code_envoye_a"].startswith(ready.of_user.email[0] + "***@")
    assert section["methode"].startswith("Certification 2 : 100 % dématérialisée")
    everything = json.dumps(shared, ensure_ascii=False) + text_of(pdf)
    for private in (IP, AGENT, ready.of_user.username, ready.of_user.email, "historique"):
        assert private not in everything
    assert "Dossier de preuve complet (organisme et financeur)" in text_of(pdf)


ROLES = (
    "of_user",
    "of_admin",
    "agent",
    "beneficiary",
    "employer",
    "other_of_admin",
    "other_of_user",
    "other_beneficiary",
    "other_employer",
)
ALLOWED = {"of_user", "of_admin", "agent"}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisation_and_the_funder_download_the_full_evidence(
    ready: World, certified: Certificate, role: str
) -> None:
    user = ready.user(role)
    stored = evidence_of(certified)

    response = browser(user).get(reverse("documents:download_evidence", args=[stored.pk]))

    assert response.status_code == (200 if role in ALLOWED else 404)
    if role in ALLOWED:
        assert b"".join(response.streaming_content) == read(stored)  # type: ignore[attr-defined]
        assert "dossier-de-preuve-" in response["Content-Disposition"]
    assert abilities_of(user, certified).download_evidence == (role in ALLOWED)
    visible = CertificationEvidence.objects.visible_to(user).filter(pk=stored.pk).exists()
    assert visible == (role in ALLOWED)


def test_an_anonymous_visitor_is_sent_to_the_login(certified: Certificate) -> None:
    stored = evidence_of(certified)
    response = Client().get(reverse("documents:download_evidence", args=[stored.pk]))
    assert response.status_code == 302 and "connexion" in response["Location"]


@pytest.mark.parametrize("role", ["of_user", "agent", "beneficiary", "employer"])
def test_the_month_page_and_the_history_link_the_full_evidence_to_those_who_may(
    ready: World, validated: Certificate, role: str
) -> None:
    client = browser(ready.user(role))
    links = [
        reverse("documents:download_evidence", args=[evidence.pk])
        for evidence in CertificationEvidence.objects.filter(certificate=validated)
    ]
    assert len(links) == 2  # the certified version's and the final one's

    month = client.get(month_url(ready)).content.decode()
    history = client.get(reverse("documents:history", args=[validated.pk])).content.decode()

    for link in links:
        assert (link in month) == (role in ALLOWED)
        assert (link in history) == (role in ALLOWED)
    assert ("Dossiers de preuve complets" in month) == (role in ALLOWED)


def test_the_beneficiary_downloads_the_evidence_of_their_validation(
    ready: World, validated: Certificate, pdfsig: Any
) -> None:
    (answer,) = validated.beneficiary_responses.all()
    url = month_url(ready, "answer_evidence", answer.pk)
    client = browser(ready.beneficiary)
    assert url in client.get(month_url(ready)).content.decode()

    response = client.get(url)

    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert_sealed(pdf, pdfsig)
    data = attachment(pdf, "preuve-reponse.json")
    assert data["reponse"]["adresse_ip"] == BENEFICIARY_IP
    assert data["reponse"]["navigateur"] == BENEFICIARY_AGENT
    assert data["reponse"]["decision"] == answer.get_decision_display()
    event = AuditEvent.objects.get(action=EventType.VALIDATED, object_id=str(validated.pk))
    assert data["journal"]["empreinte"] == event.hash
    everything = json.dumps(data, ensure_ascii=False) + text_of(pdf)
    assert BENEFICIARY_IP in text_of(pdf)
    for organisation_side in (IP, AGENT, ready.of_user.username, ready.of_user.email):
        assert organisation_side not in everything
    assert ready.of_user.last_name not in everything


def test_a_contest_has_its_evidence_though_it_makes_no_version(
    ready: World, certified: Certificate
) -> None:
    versions = certified.versions.count()
    request = beneficiary_request(ready.beneficiary)
    comment = "Le 4 mars, absente."
    contest_hours(certified, actor=ready.beneficiary, comment=comment, request=request)
    assert certified.versions.count() == versions
    (answer,) = certified.beneficiary_responses.all()
    url = month_url(ready, "answer_evidence", answer.pk)

    response = browser(ready.beneficiary).get(url)

    pdf = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    data = attachment(pdf, "preuve-reponse.json")
    assert data["reponse"]["commentaire"] == comment
    assert data["reponse"]["adresse_ip"] == BENEFICIARY_IP
    assert data["certificat"]["version_reference"] == latest_version(certified).reference  # type: ignore[union-attr]
    for role in ("of_user", "agent", "employer", "other_beneficiary"):
        assert browser(ready.user(role)).get(url).status_code == 404


def _at(certificate: Certificate) -> datetime:
    assert certificate.certified_at is not None
    return certificate.certified_at


def test_a_month_validated_without_an_answer_says_so(certified: Certificate) -> None:
    certified.validation_kind = ValidationKind.NO_ANSWER
    section = validation_section(certified, None, _at(certified), None)

    assert section["mode"] == "Validé sans réponse du bénéficiaire"
    assert "« sans réponse du bénéficiaire »" in section["decision"]
    assert "adresse_ip" not in section and "identifiant" not in section
    assert shared_evidence({"validation": section}, {})["validation"] == section


def test_a_month_validated_by_an_agent_keeps_the_reason_in_the_full_evidence_only(
    ready: World, certified: Certificate
) -> None:
    reason = "Bénéficiaire hospitalisée, heures confirmées par téléphone"
    certified.validation_kind = ValidationKind.AGENT
    certified.validated_by = ready.agent
    certified.validation_reason = reason
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT=AGENT)
    section = validation_section(certified, ready.agent, _at(certified), request)

    version = sealed_version(
        certified,
        reason=VersionReason.VALIDATION,
        actor=ready.agent,
        evidence={"validation": section},
        signer_name="Camille Nom",
        seal_reason="Version définitive, validée par le financeur",
    )

    shared = embedded_evidence(pdf_of(certified))["validation"]
    assert shared["mode"] == "Validé par le financeur"
    assert "« par le financeur »" in shared["decision"]
    assert reason not in json.dumps(shared, ensure_ascii=False)
    assert "agent_identifiant" not in shared and "adresse_ip" not in shared
    stored = CertificationEvidence.objects.get(version=version)
    full = attachment(read(stored), "preuve-complete.json")
    assert full["validation"]["motif"] == reason
    assert full["validation"]["agent_identifiant"] == ready.agent.username
    assert full["validation"]["adresse_ip"] == "192.0.2.44"
