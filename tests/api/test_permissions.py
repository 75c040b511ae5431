"""Every API endpoint, for every person of the test world: the status their token gets.

Read it as the permission matrix of tests/test_permission_matrix.py (which leaves the API's
patterns to this file): another organisation's token gets 404 on the first one's objects;
people who see a dossier but are not its organisation's members get 403 on its steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from realisa.certificates.models import Certificate
from realisa.choices import VersionReason
from realisa.demo.files import one_page_pdf
from realisa.documents.services import generate_version
from realisa.webhooks.models import Webhook
from tests.api.conftest import FEBRUARY, MARCH, ApiClient
from tests.conftest import World

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
class Case:
    world: World
    months: dict[str, Certificate]
    webhook: Webhook

    @property
    def number(self) -> str:
        return self.world.dossier.number

    def month(self, month: str = MARCH) -> str:
        return f"/dossiers/{self.number}/months/{month}"


def hours_body(case: Case) -> dict[str, Any]:
    return {"centre": "120", "certifies_entry": True, "version": case.months["entered"].version}


def hours_import_body(case: Case) -> dict[str, Any]:
    row = {"dossier": case.number, "month": "2026-04", "centre": "70", "internship": "0"}
    return {"key": "k-1", "certifies_entry": True, "rows": [row | {"absence": "0"}]}


Call = Callable[[ApiClient, Case], Any]


def GET(path: Callable[[Case], str]) -> Call:
    return lambda client, case: client.get(path(case))


def NOTHING(case: Case) -> dict[str, Any]:
    return {}


def JSON(method: str, path: Callable[[Case], str], body: Callable[[Case], Any] = NOTHING) -> Call:
    return lambda client, case: client.json(method, path(case), body(case))


def UPLOAD(path: Callable[[Case], str]) -> Call:
    return lambda client, case: client.upload(path(case), one_page_pdf("Scan"))


def dossiers_body(case: Case) -> dict[str, Any]:
    organisation = case.world.dossier.organisation
    row = {
        "number": "PTP-2027-0001",
        "beneficiary_reference": "B-1001",
        "organisation": {"siret": organisation.siret, "name": organisation.name},
        "beneficiary": {"civility": "mme", "first_name": "Camille", "last_name": "Durand"},
        "training_title": "Titre professionnel Développeur web",
        "action_nature": "training",
        "start_date": "2027-01-04",
        "end_date": "2027-06-25",
        "planned_minutes": 42000,
        "is_paperless": True,
    }
    return {"dossiers": [row]}


def first_sheet(case: Case) -> int:
    return case.months["entered"].attendance_sheets.get().pk


def february_version(case: Case) -> int:
    version = generate_version(
        case.months["certified"], reason=VersionReason.CERTIFICATION, actor=None
    )
    return version.pk


# fmt: off
#        anonymous, agent, of_admin, of_user, other_of_admin, other_of_user,
#        beneficiary, employer, other_beneficiary
MATRIX: dict[str, tuple[Call, tuple[int, ...]]] = {
    "dossiers": (GET(lambda c: "/dossiers"), (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "dossier": (GET(lambda c: f"/dossiers/{c.number}"), (401, 200, 200, 200, 404, 404, 200, 200, 404)),  # noqa: E501
    "months": (GET(lambda c: f"/dossiers/{c.number}/months"), (401, 200, 200, 200, 404, 404, 200, 200, 404)),  # noqa: E501
    "month": (GET(lambda c: c.month()), (401, 200, 200, 200, 404, 404, 200, 200, 404)),
    "hours": (JSON("put", lambda c: f"{c.month()}/hours", hours_body), (401, 403, 200, 200, 404, 404, 403, 403, 404)),  # noqa: E501
    "hours_imports": (JSON("post", lambda c: "/hours/imports", hours_import_body), (401, 403, 200, 200, 200, 200, 403, 403, 403)),  # noqa: E501
    "signed_scan": (UPLOAD(lambda c: f"{c.month()}/signed-scan"), (401, 403, 200, 200, 404, 404, 403, 403, 404)),  # noqa: E501
    "signed_scan_remove": (JSON("delete", lambda c: f"{c.month()}/signed-scan"), (401, 403, 200, 200, 404, 404, 403, 403, 404)),  # noqa: E501
    "sheets": (UPLOAD(lambda c: f"{c.month()}/attendance-sheets"), (401, 403, 201, 201, 404, 404, 403, 403, 404)),  # noqa: E501
    "sheet": (JSON("delete", lambda c: f"{c.month()}/attendance-sheets/{first_sheet(c)}"), (401, 403, 200, 200, 404, 404, 403, 403, 404)),  # noqa: E501
    "certify_paper": (JSON("post", lambda c: f"{c.month()}/certify-paper"), (401, 403, 200, 200, 404, 404, 403, 403, 404)),  # noqa: E501
    "versions": (GET(lambda c: f"{c.month(FEBRUARY)}/versions"), (401, 200, 200, 200, 404, 404, 200, 200, 404)),  # noqa: E501
    "version_pdf": (GET(lambda c: f"/versions/{february_version(c)}/pdf"), (401, 200, 200, 200, 404, 404, 200, 200, 404)),  # noqa: E501
    "online_code": (JSON("post", lambda c: f"{c.month()}/online/code"), (401, 403, 403, 403, 404, 404, 403, 403, 404)),  # noqa: E501
    "online_certify": (JSON("post", lambda c: f"{c.month()}/online/certify", lambda c: {"code": "1234"}), (401, 403, 403, 403, 404, 404, 403, 403, 404)),  # noqa: E501
    "feed": (GET(lambda c: "/funder/months"), (401, 200, 403, 403, 403, 403, 403, 403, 403)),
    "transmissions": (GET(lambda c: "/funder/transmissions"), (401, 200, 403, 403, 403, 403, 403, 403, 403)),  # noqa: E501
    "transmission_create": (JSON("post", lambda c: "/funder/transmissions", lambda c: {"certificate_ids": [c.months["certified"].pk]}), (401, 201, 403, 403, 403, 403, 403, 403, 403)),  # noqa: E501
    "payments": (GET(lambda c: f"/funder/dossiers/{c.number}/payments"), (401, 200, 403, 403, 403, 403, 403, 403, 403)),  # noqa: E501
    "payment_create": (JSON("post", lambda c: f"/funder/dossiers/{c.number}/payments", lambda c: {"period_start": "2026-04-01", "period_end": "2026-04-30", "amount": "1500.00", "paid_on": "2026-05-15"}), (401, 201, 403, 403, 403, 403, 403, 403, 403)),  # noqa: E501
    "payments_put": (JSON("put", lambda c: "/funder/payments", lambda c: {"payments": [{"dossier": c.number, "reference": "VIR-001", "period_start": "2026-04-01", "period_end": "2026-04-30", "amount": "1500.00", "paid_on": "2026-05-15"}]}), (401, 200, 403, 403, 403, 403, 403, 403, 403)),  # noqa: E501
    "dossiers_put": (JSON("put", lambda c: "/funder/dossiers", dossiers_body), (401, 200, 403, 403, 403, 403, 403, 403, 403)),  # noqa: E501
    "plan_put": (JSON("put", lambda c: f"/funder/dossiers/{c.number}/plan", lambda c: {"pattern": {"monday": {"centre_minutes": 420}}}), (401, 200, 403, 403, 403, 403, 403, 403, 403)),  # noqa: E501
    "webhooks": (GET(lambda c: "/webhooks"), (401, 200, 200, 403, 200, 403, 403, 403, 403)),
    "webhook_create": (JSON("post", lambda c: "/webhooks", lambda c: {"url": "https://logiciel.example/realisa", "secret": "s" * 32, "events": ["certificate.certified"]}), (401, 201, 201, 403, 201, 403, 403, 403, 403)),  # noqa: E501
    "webhook": (JSON("delete", lambda c: f"/webhooks/{c.webhook.pk}"), (401, 200, 200, 403, 404, 403, 403, 403, 403)),  # noqa: E501
    "webhook_deliveries": (GET(lambda c: f"/webhooks/{c.webhook.pk}/deliveries"), (401, 200, 200, 403, 404, 403, 403, 403, 403)),  # noqa: E501
}
# fmt: on


def test_every_api_operation_is_in_the_matrix() -> None:
    from realisa.api.api import api

    names = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            names |= {op.url_name for op in path_view.operations if op.url_name}
    names -= {"transmission_file"}  # needs a transmission: tests/api/test_funder.py
    assert sorted(names - set(MATRIX)) == []


@pytest.fixture
def case(world: World, months: dict[str, Certificate]) -> Case:
    webhook = Webhook.objects.create(
        organisation=world.dossier.organisation,
        url="https://logiciel.example/hook",
        secret="x" * 32,
        events=["certificate.entered"],
        created_by=world.of_admin,
    )
    return Case(world, months, webhook)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_token_gets_the_status_of_the_matrix(
    case: Case, api: Callable[[str | None], ApiClient], name: str, role: str
) -> None:
    call, statuses = MATRIX[name]
    response = call(api(None if role == "anonymous" else role), case)
    expected = statuses[ROLES.index(role)]
    assert response.status_code == expected, (name, role, response.content[:300])
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == expected
