"""Every refusal of a service reaches an API client as one RFC 9457 problem, mapped once
in ``api.problems``: its kind gives the status, its class may give a precise type."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from realisa.api.problems import refusal_problem
from realisa.certificates.entry import NotAMember
from realisa.certificates.lifecycle import AlreadyDone
from realisa.lib.errors import Conflict, Invalid, NotAllowed, Refused


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (NotAllowed("Réservé aux agents de Transitions Pro."), 403, "interdit"),
        (Conflict("Ce mois a déjà été transmis."), 409, "conflit"),
        (Invalid(errors={"comment": "Indiquez ce qui ne va pas."}), 422, "donnees-refusees"),
        (NotAMember("Seuls les membres…"), 403, "membre-requis"),
        (AlreadyDone("Ce certificat de réalisation est déjà certifié."), 409, "deja-fait"),
    ],
)
def test_a_refusal_is_a_problem_of_its_kind(
    rf: RequestFactory, error: Exception, status: int, kind: str
) -> None:
    response = refusal_problem(rf.post("/api/v1/"), error)

    body = json.loads(response.content)
    assert response.status_code == status == body["status"]
    assert response["Content-Type"] == "application/problem+json"
    assert body["type"] == f"urn:realisa:probleme:{kind}"
    assert body["detail"] == getattr(error, "message", "")
    if isinstance(error, Invalid):
        assert body["errors"] == error.errors


def test_a_bare_refusal_is_a_conflict(rf: RequestFactory) -> None:
    assert refusal_problem(rf.get("/"), Refused("Pas maintenant.")).status_code == 409
