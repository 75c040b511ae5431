"""Arbitrary values in every path parameter, query parameter and JSON field of every API
operation, read from its OpenAPI description, with a valid token: no answer is a 5xx,
none is the token's refusal (the endpoint itself answered), and every refusal is an RFC
9457 problem. (tests/api/test_schemathesis.py sends what the description admits; this
sends anything.)"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from realisa.api.api import api
from realisa.api.tokens import create_token
from realisa.certificates.models import AttendanceSheet
from realisa.documents.models import CertificateVersion
from realisa.funder.models import Transmission
from tests.fuzz.inputs import FUZZ, json_values, known_bad_first, texts, uploads
from tests.fuzz.scene import Scene

PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # with {placeholders}
    description: dict[str, Any]

    def parameters(self, where: str) -> list[str]:
        return [p["name"] for p in self.description.get("parameters", []) if p["in"] == where]

    def body(self) -> tuple[str, list[str]] | None:
        """The body's content type and its properties (resolved from the components)."""
        content = self.description.get("requestBody", {}).get("content", {})
        for kind, media in content.items():
            schema = media["schema"]
            if "$ref" in schema:
                schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            return kind, list(schema.get("properties", {}))
        return None


SCHEMA = api.get_openapi_schema()
OPERATIONS = [
    Operation(method.upper(), path, description)
    for path, methods in SCHEMA["paths"].items()
    for method, description in methods.items()
]


def valid_values(scene: Scene) -> dict[str, str]:
    """A value each path parameter may take in the scene, for the examples that keep it."""
    month = scene.month(-1)
    ids = {
        "sheet_id": AttendanceSheet.objects.order_by("pk").first(),
        "version_id": CertificateVersion.objects.order_by("pk").first(),
        "transmission_id": Transmission.objects.order_by("pk").first(),
    }
    return {
        "number": scene.dossier("FPE", 1).number,
        "month": f"{month:%Y-%m}",
        "kind": "csv",
        "webhook_id": "1",
        **{name: str(found.pk if found else 1) for name, found in ids.items()},
    }


def request_strategy(operation: Operation, valid: dict[str, str]) -> st.SearchStrategy[Any]:
    path = {name: st.one_of(st.just(valid[name]), texts) for name in operation.parameters("path")}
    query = dict.fromkeys(operation.parameters("query"), texts)
    body = operation.body()
    if body is None:
        content: st.SearchStrategy[Any] = st.none()
    elif body[0] == "multipart/form-data":
        content = st.fixed_dictionaries({}, optional=dict.fromkeys(body[1], uploads))
    else:
        fields = st.fixed_dictionaries({}, optional=dict.fromkeys(body[1], json_values))
        content = st.one_of(fields, json_values)
    return st.tuples(
        st.fixed_dictionaries(path), st.fixed_dictionaries({}, optional=query), content
    )


def send(client: Client, operation: Operation, drawn: Any, token: str) -> Any:
    path_values, query, content = drawn
    url = operation.path
    for name, value in path_values.items():
        url = url.replace(f"{{{name}}}", quote(value, safe=""))
    headers = {"Authorization": f"Bearer {token}"}
    with transaction.atomic():  # a failing request leaves the test's transaction usable
        if operation.body() is None:
            return client.generic(operation.method, url, headers=headers, QUERY_STRING=_qs(query))
        if operation.body()[0] == "multipart/form-data":  # type: ignore[index]
            return client.post(url, content, headers=headers)
        body = json.dumps(content)
        return client.generic(
            operation.method, url, body, content_type="application/json", headers=headers
        )


def _qs(query: dict[str, str]) -> str:
    return "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in query.items())


def assert_the_endpoint_answered(response: Any) -> None:
    assert response.status_code < 500
    assert response.status_code != 401, "the token was refused: the endpoint was never reached"
    if response.status_code >= 400:
        assert response["Content-Type"] == PROBLEM


def everywhere(operation: Operation, valid: dict[str, str]) -> Any:
    """The arguments putting ``bad`` in every query parameter and JSON field (the path stays
    valid: the operation is reached)."""

    def arguments(bad: str) -> dict[str, Any]:
        path = {name: valid[name] for name in operation.parameters("path")}
        query = dict.fromkeys(operation.parameters("query"), bad)
        body = operation.body()
        content = None if body is None else dict.fromkeys(body[1], bad)
        if body is not None and body[0] == "multipart/form-data":
            content = {}
        return {"drawn": (path, query, content)}

    return arguments


def fuzz(client: Client, operation: Operation, valid: dict[str, str], token: str) -> str | None:
    @FUZZ
    @given(drawn=request_strategy(operation, valid))
    @known_bad_first(everywhere(operation, valid))
    def example(drawn: Any) -> None:
        assert_the_endpoint_answered(send(client, operation, drawn, token))

    try:
        example()
    except Exception as error:  # each operation's failure is reported, and the next one runs
        notes = "\n".join(getattr(error, "__notes__", []))
        return f"{operation.method} {operation.path}: {error!r}\n{notes}"
    return None


def test_no_parameter_of_any_operation_answers_5xx(scene: Scene) -> None:
    client, valid = Client(), valid_values(scene)
    tokens = {
        role: create_token(scene.user(role), name="Fuzz", expires_on=scene.month(2))[1]
        for role in ("agent", "of_user")
    }
    failures = [
        fuzz(client, op, valid, tokens["agent" if "/funder/" in op.path else "of_user"])
        for op in OPERATIONS
    ]
    assert not any(failures), "\n\n".join(f for f in failures if f)
