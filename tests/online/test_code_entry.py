"""Typing the code of certification 2: the field takes exactly the configured digits, an
entry that cannot be a code costs no try and says why next to the field, and the lock
after three wrong tries offers « Demander un nouveau code » right there. Same on the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from realisa.audit.models import AuditEvent
from realisa.certificates import codes
from realisa.certificates.models import Certificate, OneTimeCode
from realisa.certificates.online import request_code
from realisa.choices import MonthStatus
from realisa.notifications.models import OutboxEmail
from tests.api.conftest import ApiClient, raw_token
from tests.conftest import World
from tests.online.conftest import web
from tests.online.test_pages import client, url

pytestmark = pytest.mark.django_db
MALFORMED = ["12", "abcd", "12a4", "12345", "１２３４", "", "   "]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10_000:04d}"


def field(page: str) -> str:
    """The code's <input> tag as the page serves it."""
    return re.search(r'<input type="text" name="code"[^>]*>', page, re.S).group(0)  # type: ignore[union-attr]


def test_the_field_takes_exactly_the_configured_number_of_digits(
    ready: World, entered: Certificate, settings: Any
) -> None:
    request_code(entered, actor=ready.of_user, request=web(ready.of_user))
    tag = field(client(ready.of_user).get(url("online_code", ready)).content.decode())
    for attribute in (
        'inputmode="numeric"',
        'pattern="[0-9]{4}"',
        'autocomplete="one-time-code"',
        'minlength="4"',
        'maxlength="4"',
    ):
        assert attribute in tag
    settings.ONLINE_CODE_LENGTH = 6
    tag = field(client(ready.of_user).get(url("online_code", ready)).content.decode())
    assert 'pattern="[0-9]{6}"' in tag and 'maxlength="6"' in tag and 'minlength="6"' in tag


@pytest.mark.parametrize("typed", MALFORMED)
def test_an_entry_that_cannot_be_a_code_costs_no_try_and_is_explained_next_to_the_field(
    ready: World, entered: Certificate, typed: str
) -> None:
    issued = request_code(entered, actor=ready.of_user, request=web(ready.of_user))
    browser = client(ready.of_user)

    response = browser.post(url("online_code", ready), {"code": typed})

    assert response.status_code == 400
    page = response.content.decode()
    errors = re.search(r'<ul class="errorlist" id="id_code_erreur">(.*?)</ul>', page, re.S)
    assert errors is not None
    assert "4 chiffres" in errors.group(1)
    assert 'aria-invalid="true"' in field(page)
    if typed.strip():
        assert f'value="{typed}"' in field(page)  # the form comes back with what was typed
    assert OneTimeCode.objects.get().attempts == 0
    assert not AuditEvent.objects.filter(action=codes.WRONG_CODE).exists()
    # Three malformed entries later, the code still works: none of them was a try.
    for _ in range(3):
        browser.post(url("online_code", ready), {"code": typed})
    browser.post(url("online_code", ready), {"code": issued.code})
    entered.refresh_from_db()
    assert entered.status == MonthStatus.CERTIFIED


def test_a_short_entry_says_how_many_digits_were_typed(ready: World, entered: Certificate) -> None:
    request_code(entered, actor=ready.of_user, request=web(ready.of_user))
    page = client(ready.of_user).post(url("online_code", ready), {"code": "12"}).content.decode()
    assert (
        "Le code compte 4 chiffres ; vous en avez saisi 2. Cet essai n&#x27;est pas compté." in page
    )


def test_spaces_in_a_pasted_code_are_removed(ready: World, entered: Certificate) -> None:
    issued = request_code(entered, actor=ready.of_user, request=web(ready.of_user))
    spaced = f" {issued.code[:2]} {issued.code[2:]} "
    client(ready.of_user).post(url("online_code", ready), {"code": spaced})
    entered.refresh_from_db()
    assert entered.status == MonthStatus.CERTIFIED


@given(st.text(max_size=12))
def test_malformed_refuses_exactly_what_is_not_four_ascii_digits(typed: str) -> None:
    without_spaces = "".join(typed.split())
    expected_code = re.fullmatch(r"[0-9]{4}", without_spaces, re.ASCII) is not None
    assert (codes.malformed(typed) is None) == expected_code


def test_the_lock_offers_a_new_code_right_there(
    ready: World, entered: Certificate, clock: Any
) -> None:
    issued = request_code(entered, actor=ready.of_user, request=web(ready.of_user))
    browser = client(ready.of_user)
    for _ in range(2):
        page = browser.post(url("online_code", ready), {"code": wrong(issued.code)})
        assert "Demander un nouveau code</button>" not in page.content.decode()

    locked = browser.post(url("online_code", ready), {"code": wrong(issued.code)})

    page = locked.content.decode()
    alert = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S)
    assert alert is not None
    assert "trois essais erronés, ce code n&#x27;est plus valable" in alert.group(1)
    send = reverse("certificates:online_send", args=[ready.dossier.number, 2026, 3])
    assert f'action="{send}"' in alert.group(1)
    assert "Demander un nouveau code</button>" in alert.group(1)
    assert OutboxEmail.objects.filter(kind="online_code").count() == 1

    clock.shift(60)  # three tries took a minute: past the 30 s between two codes
    browser.post(send, follow=True)  # the button: a new code is e-mailed

    assert OutboxEmail.objects.filter(kind="online_code").count() == 2
    assert codes.active_code(entered, ready.of_user) is not None


def test_the_lock_offers_no_button_to_whoever_may_not_ask_for_a_code(
    ready: World, entered: Certificate
) -> None:
    issued = request_code(entered, actor=ready.of_user, request=web(ready.of_user))
    browser = client(ready.of_user)
    for _ in range(2):
        browser.post(url("online_code", ready), {"code": wrong(issued.code)})
    ready.of_user.can_certify = False  # the box was unticked meanwhile
    ready.of_user.save(update_fields=["can_certify"])
    page = browser.post(url("online_code", ready), {"code": wrong(issued.code)})
    assert "Demander un nouveau code</button>" not in page.content.decode()


def test_the_api_refuses_an_entry_that_cannot_be_a_code_without_counting_a_try(
    ready: World, entered: Certificate
) -> None:
    issued = request_code(entered, actor=ready.of_user, request=web(ready.of_user))
    api = ApiClient(raw_token(ready.of_user))
    path = f"/dossiers/{ready.dossier.number}/months/2026-03/online/certify"

    response = api.json("post", path, {"code": "12"})

    assert response.status_code == 422
    problem = response.json()
    assert "4 chiffres" in str(problem)
    assert OneTimeCode.objects.get().attempts == 0
    assert api.json("post", path, {"code": issued.code}).status_code == 200
