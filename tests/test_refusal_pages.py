"""A refusal escaping a view becomes its page once, in ``lib.refusals``: its status and
its French message, or for htmx the fragment its window swaps in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from realisa.lib.errors import Conflict, Invalid, NotAllowed, Refused
from realisa.lib.refusals import RefusalMiddleware


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotAllowed("Seuls les membres de l'organisme de formation certifient."), 403),
        (Conflict("Ce certificat de réalisation est déjà certifié."), 409),
        (Invalid(errors={"comment": "Indiquez ce qui ne va pas dans ces heures."}), 400),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_each_kind_of_refusal_has_its_status_and_says_why(
    db: Any, error: Refused, status: int, htmx: bool
) -> None:
    request = RequestFactory().post("/", headers={"HX-Request": "true"} if htmx else {})
    request.user = AnonymousUser()

    response = RefusalMiddleware(page).process_exception(request, error)

    assert response is not None and response.status_code == status
    text = response.content.decode()
    assert error.message.replace("'", "&#x27;") in text
    assert ("<html" in text) is not htmx


def test_other_exceptions_are_left_to_django(rf: RequestFactory) -> None:
    assert RefusalMiddleware(page).process_exception(rf.get("/"), ValueError("bogue")) is None
