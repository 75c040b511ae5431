"""Arbitrary text in every field of every form, and in every query parameter, of the
site's pages, as each role: no answer is a 5xx.

The forms are found as a browser finds them: each page of ``PAGES`` is rendered for its
role and its HTML read (``<form>``, its method, action, inputs, selects, textareas; the
links' query strings). Each is sent with the page's CSRF token and the person logged in,
and the answer must come from the view itself: neither the login redirect nor the CSRF
refusal, which would mean the fuzz never reached the code it means to test.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.html_forms import CSRF_FIELD, Field, Form, forms_of, queries_of
from tests.fuzz.inputs import FUZZ, field_value, known_bad_first, uploads
from tests.fuzz.scene import PAGES, Scene
from tests.test_permission_matrix import MATRIX

# Forms the fuzz leaves alone: logging out would end the session it fuzzes with.
LEFT_ALONE = {"logout"}
# The views that show a form and take it back (GET and POST), beside the POST-only ones
# of the permission matrix: together, every form of the portal.
FORM_PAGES = {
    "login",
    "password_reset",
    "password_set_confirm",
    "password_reset_confirm",
    "dossiers:list",
    "organisations:identity",
    "organisations:member_create",
    "certificates:enter",
    "certificates:online_code",
    "certificates:validate",
    "documents:verify",
    "funder:dashboard",
    "funder:journal",
    "funder:late_list",
    "funder:review_queue",
    "funder:invitations",
    "funder:dossier",
    "funder:reopen",
    "funder:payment_import",
}


def client_for(scene: Scene, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(scene.user(role))
    return client


def view_name(path: str) -> str:
    return resolve(urlsplit(path).path).view_name


def discover(client: Client, scene: Scene, role: str) -> list[Form]:
    """The forms and queries of the role's pages, each kind once."""
    found: dict[Any, Form] = {}
    for page in PAGES[role]:
        response = client.get(page.url(scene), follow=True)
        assert response.status_code == 200, f"{page.name} as {role}: {response.status_code}"
        where = response.request["PATH_INFO"]
        for form in forms_of(where, response.text) + queries_of(where, response.text):
            name = view_name(form.action)
            if name not in LEFT_ALONE:  # one form per view and fields (not per member…)
                found.setdefault((form.method, name, form.field_names()), form)
    return list(found.values())


def value_of(field: Field) -> st.SearchStrategy[Any]:
    if field.kind == "file":
        return st.one_of(st.none(), uploads)
    return field_value(field.value, field.options)


def send(client: Client, form: Form, values: dict[str, Any]) -> Any:
    data = {name: value for name, value in values.items() if value is not None}
    with transaction.atomic():  # a failing request leaves the test's transaction usable
        if form.method == "get":
            return client.get(urlsplit(form.action).path, data)
        return client.post(form.action, {CSRF_FIELD: form.csrf_token or "", **data})


def assert_the_view_answered(response: Any) -> None:
    assert response.status_code < 500
    location = urlsplit(response.get("Location", "")).path
    assert not (response.status_code == 302 and location == reverse("login")), "login redirect"
    refused = response.status_code == 403 and b"CSRF" in response.content
    assert not refused, "the CSRF check refused the form: the view was never reached"


def fuzz(client: Client, form: Form) -> str | None:
    """The first request of the form that breaks the rule, as hypothesis shrank it."""
    fields = {item.name: value_of(item) for item in form.fuzzable()}

    def everywhere(bad: str) -> dict[str, Any]:
        return {"values": {f.name: None if f.kind == "file" else bad for f in form.fuzzable()}}

    @FUZZ
    @given(values=st.fixed_dictionaries(fields))
    @known_bad_first(everywhere)
    def example(values: dict[str, Any]) -> None:
        assert_the_view_answered(send(client, form, values))

    try:
        example()
    except Exception as error:  # each form's failure is reported, and the next form runs
        notes = "\n".join(getattr(error, "__notes__", []))
        return f"{form.method.upper()} {form.action}: {error!r}\n{notes}"
    return None


def test_no_field_of_any_form_answers_5xx(scene: Scene) -> None:
    failures = []
    for role in PAGES:  # in its order: each role may change what the next ones see
        client = client_for(scene, role)  # afresh: an earlier role may have set its password
        failures += [fuzz(client, form) for form in discover(client, scene, role)]
    assert not any(failures), "\n\n".join(f for f in failures if f)


def test_the_pages_show_every_form_of_the_portal(scene: Scene) -> None:
    reached = set()
    for role in PAGES:
        forms = discover(client_for(scene, role), scene, role)
        reached |= {view_name(form.action) for form in forms}
    post_only = {name for name, row in MATRIX.items() if row.post is not None}
    missing = sorted((post_only | FORM_PAGES) - LEFT_ALONE - reached)
    assert not missing, f"add a page showing their form to tests/fuzz/scene.py: {missing}"
