"""The permission matrix: every URL pattern of the project, for every role, and its status.

How to read ``MATRIX``: one row per URL name; ``args`` builds the URL's arguments from
the test world (two organisations, each with its admin, user, beneficiary, employer and
a dossier; the funder's agent); the nine numbers are the status each role must get,
in the order of ``ROLES``. For a POST-only view (``post=…``), the test POSTs (each
case has a fresh world) and also checks that a GET is refused with 405, for every
role, anonymous included (``require_POST`` is the outermost decorator).

The two "other_" organisation members and the outsider beneficiary belong to the
second organisation: they must get 404 on the first one's objects (or, for the pages
of "my own organisation", the same as the first one's members: there is no other
organisation in those URLs).

``test_every_url_pattern_is_in_the_matrix`` walks the URL resolver: a new view without
a row fails there, by name. Skipped on purpose: the Django admin's own patterns (one
per model and action, behind ``RealisaAdminSite.has_permission``, which the
``admin:index`` row and tests/test_screens.py check); the admin index itself is a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from realisa.certificates.models import (
    AttendanceSheet,
    BatchLine,
    BeneficiaryResponse,
    Certificate,
    CertificationBatch,
)
from realisa.choices import BeneficiaryDecision, VersionReason
from realisa.demo.files import logo_png, one_page_pdf
from realisa.documents.models import CertificateVersion, CertificationEvidence
from realisa.documents.services import generate_version
from realisa.notifications.models import OutboxEmail
from realisa.organisations.models import CertifierDocument, Organisation
from tests.api.matrix import new_token, of_admin_token
from tests.conftest import World
from tests.factories import CertificateFactory

ROLES = (
    "anonymous",
    "agent",
    "of_admin",
    "of_user",
    "other_of_admin",
    "other_of_user",
    "beneficiary",
    "employer",
    "other_beneficiary",
)


@dataclass
class Scene:
    """The test world, plus what the pages need: a logo and a KBIS; March's hours entered
    with a signed scan and an attendance sheet; February certified, with its PDF."""

    world: World
    organisation: Organisation
    kbis: CertifierDocument
    entered: Certificate
    sheet: AttendanceSheet
    certified: Certificate
    version: CertificateVersion
    email: OutboxEmail


def password_link(scene: Scene) -> list[Any]:
    """A valid link for someone who is none of the roles (a login would void the token)."""
    user = scene.world.other_employer
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return [uid, default_token_generator.make_token(user)]


def review_data(scene: Scene) -> dict[str, str]:
    prefix = f"doc{scene.kbis.pk}"
    return {f"{prefix}-decision": "compliant", f"{prefix}-seen_file": scene.kbis.file.name}


def NO_ARGS(scene: Scene) -> list[Any]:
    return []


def DOSSIER(scene: Scene) -> list[Any]:
    return [scene.world.dossier.number]


def MEMBER(scene: Scene) -> list[Any]:
    return [scene.world.of_user.pk]  # a user of the first organisation


def ORGANISATION(scene: Scene) -> list[Any]:
    return [scene.organisation.pk]


def DOCUMENT(scene: Scene) -> list[Any]:
    return [scene.kbis.pk]  # the first organisation's KBIS


def MONTH(scene: Scene) -> list[Any]:
    return [scene.world.dossier.number, 2026, 3]  # hours entered, not certified


def SHEET(scene: Scene) -> list[Any]:
    return [*MONTH(scene), scene.sheet.pk]


def CERTIFIED(scene: Scene) -> list[Any]:
    return [scene.certified.pk]


def VERSION(scene: Scene) -> list[Any]:
    return [scene.version.pk]


def REFERENCE(scene: Scene) -> list[Any]:
    return [scene.version.reference]


def EMAIL(scene: Scene) -> list[Any]:
    return [scene.email.pk]


def CERTIFIED_MONTH(scene: Scene) -> list[Any]:
    return [scene.world.dossier.number, 2026, 2]  # February: certified, not paid


def TRANSMISSION(scene: Scene) -> list[Any]:
    """A batch holding February (created here: only these rows need one)."""
    from realisa.funder.transmission import create_transmission

    transmission, _ = create_transmission([scene.certified.pk], actor=scene.world.agent)
    return [transmission.pk]


def FULL_EVIDENCE(scene: Scene) -> list[Any]:
    """February's version's full « dossier de preuve » (created here: one row needs it)."""
    evidence = CertificationEvidence(
        certificate=scene.certified,
        version=scene.version,
        reason=VersionReason.CERTIFICATION,
        data={},
    )
    evidence.file.save("preuve.pdf", ContentFile(one_page_pdf("Preuve")))
    return [evidence.pk]


def ANSWER(scene: Scene) -> list[Any]:
    """February, with the beneficiary's validation: the evidence of their answer."""
    answer = BeneficiaryResponse.objects.create(
        certificate=scene.certified,
        user=scene.world.beneficiary,
        decision=BeneficiaryDecision.VALIDATED,
        ip="203.0.113.9",
        user_agent="Navigateur de test",
    )
    return [*CERTIFIED_MONTH(scene), answer.pk]


def BATCH(scene: Scene) -> list[Any]:
    """The first organisation's user's batch of March (created here: only these rows need it)."""
    batch = CertificationBatch.objects.create(
        reference="LOT-TEST",
        organisation=scene.organisation,
        user=scene.world.of_user,
        manifest_sha256="0" * 64,
    )
    BatchLine.objects.create(
        batch=batch, certificate=scene.entered, version_reference="R", version_sha256="0" * 64
    )
    return [batch.pk]


def transmit_data(scene: Scene) -> dict[str, Any]:
    return {"certificat": [scene.certified.pk]}


def a_scan(field: str) -> Callable[[Scene], dict[str, Any]]:
    return lambda scene: {field: SimpleUploadedFile("scan.pdf", one_page_pdf("Scan"))}


@dataclass(frozen=True)
class Row:
    statuses: tuple[int, ...]
    args: Callable[[Scene], list[Any]] = NO_ARGS
    post: Callable[[Scene], dict[str, Any]] | None = None  # a POST-only view, and its data

    def __post_init__(self) -> None:
        assert len(self.statuses) == len(ROLES)


def posting(data: dict[str, str]) -> Callable[[Scene], dict[str, str]]:
    return lambda scene: data


# fmt: off
#            anonymous, agent, of_admin, of_user, other_of_admin, other_of_user,
#            beneficiary, employer, other_beneficiary
MATRIX: dict[str, Row] = {
    "home":                          Row((302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "login":                         Row((200, 302, 302, 302, 302, 302, 302, 302, 302)),
    "logout":                        Row((302, 302, 302, 302, 302, 302, 302, 302, 302), post=posting({})),  # noqa: E501
    "password_reset":                Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "privacy":                       Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_reset_done":           Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_reset_complete":       Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_reset_confirm":        Row((302, 302, 302, 302, 302, 302, 302, 302, 302), password_link),  # noqa: E501
    "password_set_confirm":          Row((302, 302, 302, 302, 302, 302, 302, 302, 302), password_link),  # noqa: E501
    "dossiers:list":                 Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "dossiers:detail":               Row((302, 200, 200, 200, 404, 404, 200, 200, 404), DOSSIER),
    "certificates:dossier":         Row((302, 200, 200, 200, 404, 404, 200, 200, 404), DOSSIER),
    "certificates:plan":            Row((302, 200, 200, 200, 404, 404, 200, 200, 404), DOSSIER),
    "organisations:identity":        Row((302, 403, 200, 403, 200, 403, 403, 403, 403)),
    "organisations:identity_file":   Row((302, 403, 200, 403, 404, 403, 403, 403, 403), lambda s: ["logo"]),  # noqa: E501
    "organisations:document_remove": Row((302, 403, 302, 403, 302, 403, 403, 403, 403), lambda s: ["kbis"], post=posting({})),  # noqa: E501
    "organisations:members":         Row((302, 403, 200, 403, 200, 403, 403, 403, 403)),
    "organisations:member_create":   Row((302, 403, 200, 403, 200, 403, 403, 403, 403)),
    "organisations:member_can_certify": Row((302, 403, 302, 403, 404, 403, 403, 403, 403), MEMBER, post=posting({"can_certify": "1"})),  # noqa: E501
    "organisations:member_deactivate":  Row((302, 403, 302, 403, 404, 403, 403, 403, 403), MEMBER, post=posting({})),  # noqa: E501
    "organisations:member_reactivate":  Row((302, 403, 302, 403, 404, 403, 403, 403, 403), MEMBER, post=posting({})),  # noqa: E501
    "funder:review_queue":           Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:review_organisation":    Row((302, 200, 403, 403, 403, 403, 403, 403, 403), ORGANISATION),  # noqa: E501
    "funder:review_document":        Row((302, 302, 403, 403, 403, 403, 403, 403, 403), DOCUMENT, post=review_data),  # noqa: E501
    "funder:review_document_file":   Row((302, 200, 403, 403, 403, 403, 403, 403, 403), DOCUMENT),
    "certificates:month":            Row((302, 200, 200, 200, 404, 404, 200, 200, 404), MONTH),
    "certificates:enter":            Row((302, 403, 200, 200, 404, 404, 403, 403, 404), MONTH),
    "certificates:signed_scan_upload": Row((302, 403, 302, 302, 404, 404, 403, 403, 404), MONTH, post=a_scan("signed_scan")),  # noqa: E501
    "certificates:signed_scan_remove": Row((302, 403, 302, 302, 404, 404, 403, 403, 404), MONTH, post=posting({})),  # noqa: E501
    "certificates:signed_scan_file":   Row((302, 200, 200, 200, 404, 404, 404, 404, 404), MONTH),
    "certificates:sheet_add":        Row((302, 403, 302, 302, 404, 404, 403, 403, 404), MONTH, post=a_scan("sheet")),  # noqa: E501
    "certificates:sheet_remove":     Row((302, 403, 302, 302, 404, 404, 403, 403, 404), SHEET, post=posting({})),  # noqa: E501
    "certificates:sheet_file":       Row((302, 200, 200, 200, 404, 404, 403, 403, 404), SHEET),
    "certificates:certify":          Row((302, 403, 302, 302, 404, 404, 403, 403, 404), MONTH, post=posting({})),  # noqa: E501
    "documents:download":            Row((302, 200, 200, 200, 404, 404, 200, 200, 404), CERTIFIED),
    "documents:download_version":    Row((302, 200, 200, 200, 404, 404, 200, 200, 404), VERSION),
    "documents:history":             Row((302, 200, 200, 200, 404, 404, 200, 200, 404), CERTIFIED),
    "documents:download_evidence":   Row((302, 200, 200, 200, 404, 404, 404, 404, 404), FULL_EVIDENCE),  # noqa: E501
    "certificates:answer_evidence":  Row((302, 404, 404, 404, 404, 404, 200, 404, 404), ANSWER),
    "certificates:mine":                Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "certificates:batch_new":        Row((302, 403, 200, 200, 200, 200, 403, 403, 403)),
    "certificates:batch_paper":      Row((302, 403, 200, 200, 200, 200, 403, 403, 403)),
    "certificates:batch":            Row((302, 403, 404, 200, 404, 404, 403, 403, 403), BATCH),
    "certificates:batch_progress":   Row((302, 403, 404, 200, 404, 404, 403, 403, 403), BATCH),
    "certificates:batch_manifest":   Row((302, 403, 404, 404, 404, 404, 403, 403, 403), BATCH),
    "certificates:batch_send":       Row((302, 403, 404, 302, 404, 404, 403, 403, 403), BATCH, post=posting({})),  # noqa: E501
    "certificates:batch_code":       Row((302, 403, 404, 422, 404, 404, 403, 403, 403), BATCH, post=posting({"code": "12"})),  # noqa: E501
    "certificates:hours_import":     Row((302, 403, 200, 200, 200, 200, 403, 403, 403)),
    "certificates:hours_import_template": Row((302, 403, 200, 200, 200, 200, 403, 403, 403), lambda scene: ["jour", "csv"]),  # noqa: E501
    "documents:verify":              Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "documents:verify_reference":    Row((200, 200, 200, 200, 200, 200, 200, 200, 200), REFERENCE),
    "demo:mailbox":                  Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "demo:mailbox_email":            Row((404, 404, 404, 404, 404, 404, 404, 404, 404), EMAIL),
    "seal_root":                     Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "seal_crl":                      Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "seal_certificate":              Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "healthz":                       Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "healthz_live":                  Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "healthz_ready":                 Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "funder:dashboard":              Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:export":                 Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:delays":                 Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:remind":                 Row((302, 302, 403, 403, 403, 403, 403, 403, 403), ORGANISATION, post=posting({})),  # noqa: E501
    "funder:remind_selection":       Row((302, 302, 403, 403, 403, 403, 403, 403, 403), post=posting({})),  # noqa: E501
    "funder:late_list":              Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:organisation_late":      Row((302, 200, 403, 403, 403, 403, 403, 403, 403), ORGANISATION),  # noqa: E501
    "funder:dossier":                Row((302, 200, 403, 403, 403, 403, 403, 403, 403), DOSSIER),
    "funder:dossier_edit":           Row((302, 200, 403, 403, 403, 403, 403, 403, 403), DOSSIER),
    "funder:reopen":                 Row((302, 200, 403, 403, 403, 403, 403, 403, 403), CERTIFIED_MONTH),  # noqa: E501
    # February was certified on paper: no answer to wait for, the page says why (409).
    "funder:validate":               Row((302, 409, 403, 403, 403, 403, 403, 403, 403), CERTIFIED_MONTH),  # noqa: E501
    "funder:journal":                Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:journal_export":         Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:audit_dossier":          Row((302, 200, 403, 403, 403, 403, 403, 403, 403), DOSSIER),
    "funder:audit_month":            Row((302, 200, 403, 403, 403, 403, 403, 403, 403), CERTIFIED_MONTH),  # noqa: E501
    "funder:payment_import":         Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:dossier_import":         Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:dossier_import_template": Row((302, 200, 403, 403, 403, 403, 403, 403, 403), lambda scene: ["csv"]),  # noqa: E501
    "funder:invitations":            Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:invitation_resend":      Row((302, 302, 403, 403, 403, 403, 403, 403, 403), lambda scene: [scene.world.other_employer.pk], post=posting({})),  # noqa: E501
    "funder:transmissions":          Row((302, 200, 403, 403, 403, 403, 403, 403, 403)),
    "funder:transmission_confirm":   Row((302, 302, 403, 403, 403, 403, 403, 403, 403)),
    "funder:transmission_cancel":    Row((302, 302, 403, 403, 403, 403, 403, 403, 403), TRANSMISSION, post=posting({"reason": "Erreur de sélection"})),  # noqa: E501
    "funder:transmission_create":    Row((302, 302, 403, 403, 403, 403, 403, 403, 403), post=transmit_data),  # noqa: E501
    "funder:transmission":           Row((302, 200, 403, 403, 403, 403, 403, 403, 403), TRANSMISSION),  # noqa: E501
    "funder:transmission_csv":       Row((302, 200, 403, 403, 403, 403, 403, 403, 403), TRANSMISSION),  # noqa: E501
    "funder:transmission_json":      Row((302, 200, 403, 403, 403, 403, 403, 403, 403), TRANSMISSION),  # noqa: E501
    "certificates:online":           Row((302, 403, 403, 403, 404, 404, 403, 403, 404), MONTH),
    "certificates:online_send":      Row((302, 403, 403, 403, 404, 404, 403, 403, 404), MONTH, post=posting({})),  # noqa: E501
    "certificates:online_code":      Row((302, 403, 403, 403, 404, 404, 403, 403, 404), MONTH),
    "certificates:validate":         Row((302, 403, 403, 403, 404, 404, 200, 403, 404), CERTIFIED_MONTH),  # noqa: E501
    "tokens:list":                   Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "tokens:create":                 Row((302, 200, 200, 200, 200, 200, 200, 200, 200), post=new_token),  # noqa: E501
    "tokens:revoke":                 Row((302, 404, 302, 404, 404, 404, 404, 404, 404), of_admin_token, post=posting({})),  # noqa: E501
    "admin:index":                   Row((302, 200, 302, 302, 302, 302, 302, 302, 302)),
}
# fmt: on


def url_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    """Every URL name of the project, with its namespaces; an unnamed one as '?<route>'."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or f'?{pattern.pattern}'}"


def is_admin_internal(name: str) -> bool:
    """The Django admin's generated patterns: one door, checked through admin:index."""
    return name.startswith("admin:") and name != "admin:index"


def is_api(name: str) -> bool:
    """The REST API (realisa/api): token auth, not sessions, and JSON problems, not pages;
    tests/api/test_permissions.py holds its own matrix, per endpoint and per token."""
    return name.startswith("api:")


def project_url_names() -> set[str]:
    return {
        name
        for name in url_names(get_resolver().url_patterns)
        if not is_admin_internal(name) and not is_api(name)
    }


def test_every_url_pattern_is_in_the_matrix() -> None:
    missing = sorted(project_url_names() - set(MATRIX))
    assert not missing, f"add it to the matrix (tests/test_permission_matrix.py): {missing}"


def test_every_row_of_the_matrix_is_a_url_pattern() -> None:
    stale = sorted(set(MATRIX) - project_url_names())
    assert not stale, f"these rows name no URL pattern any more: {stale}"


@pytest.fixture
def scene(world: World, own_seal: Path) -> Scene:
    """(``own_seal``: the beneficiary's evidence of their answer is sealed when asked.)"""
    organisation = world.dossier.organisation
    organisation.logo.save("logo.png", ContentFile(logo_png("OF", "#1d3a8a")))
    kbis = CertifierDocument(organisation=organisation, kind=CertifierDocument.Kind.KBIS)
    kbis.file.save("kbis.pdf", ContentFile(one_page_pdf("KBIS")))
    entered = CertificateFactory(dossier=world.dossier, month=date(2026, 3, 1))
    entered.signed_scan.save("scan.pdf", ContentFile(one_page_pdf("Scan")))
    sheet = AttendanceSheet(certificate=entered, original_name="feuille.pdf")
    sheet.file.save("feuille.pdf", ContentFile(one_page_pdf("Feuille")))
    certified = CertificateFactory(dossier=world.dossier, month=date(2026, 2, 1), certified=True)
    version = generate_version(certified, reason=VersionReason.CERTIFICATION, actor=None)
    email = OutboxEmail.objects.create(
        kind="test", to=["a@example.org"], subject="S", body_text="T"
    )
    return Scene(world, organisation, kbis, entered, sheet, certified, version, email)


def client_for(scene: Scene, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(scene.world.user(role))
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_status_of_the_matrix(scene: Scene, name: str, role: str) -> None:
    row = MATRIX[name]
    url = reverse(name, args=row.args(scene))
    client = client_for(scene, role)
    expected = row.statuses[ROLES.index(role)]
    if row.post is None:
        status = client.get(url).status_code
    else:
        assert client.get(url).status_code == 405, f"GET {url} as {role}"
        status = client.post(url, row.post(scene)).status_code
    assert status == expected, f"{'POST' if row.post else 'GET'} {url} as {role}"
