"""Personal tokens: shown once, kept hashed, acting as their user, audited, rate-limited."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from realisa.api.models import ApiToken, ApiUsage
from realisa.api.tokens import TokenRefused, create_token, revoke_token
from realisa.audit.models import AuditEvent
from tests.api.conftest import ApiClient, raw_token
from tests.conftest import World


def test_the_page_shows_a_new_token_once_and_keeps_only_its_hash(world: World) -> None:
    client = Client()
    client.force_login(world.of_user)
    expires = timezone.localdate() + timedelta(days=30)
    page = client.post("/compte/jetons/creer/", {"name": "Mon logiciel", "expires_on": expires})
    text = page.content.decode()
    token = ApiToken.objects.get(user=world.of_user)
    raw = text.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert "il ne sera plus jamais affiché" in text
    assert token.token_sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in client.get("/compte/jetons/").content.decode()
    assert AuditEvent.objects.filter(action="api_token.created", actor=world.of_user).exists()


def test_a_token_needs_a_name_and_an_expiry_within_a_year(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(TokenRefused, match="Donnez un nom"):
        create_token(world.of_user, name=" ", expires_on=today + timedelta(days=1))
    with pytest.raises(TokenRefused, match="au plus 365 jours"):
        create_token(world.of_user, name="x", expires_on=today + timedelta(days=400))
    with pytest.raises(TokenRefused, match="postérieure à aujourd'hui"):
        create_token(world.of_user, name="x", expires_on=today)


def test_the_form_refuses_an_expiry_in_the_past_with_a_french_message(world: World) -> None:
    client = Client()
    client.force_login(world.of_user)
    page = client.post("/compte/jetons/creer/", {"name": "x", "expires_on": "2020-01-01"})
    assert page.status_code == 400
    assert "La date d'expiration doit être postérieure" in html.unescape(page.content.decode())


def test_a_revoked_token_no_longer_works(world: World) -> None:
    raw = raw_token(world.of_admin)
    assert ApiClient(raw).get("/dossiers").status_code == 200
    revoke_token(ApiToken.objects.get(), actor=world.of_admin)
    response = ApiClient(raw).get("/dossiers")
    assert response.status_code == 401
    assert "révoqué" in response.json()["detail"]


def test_an_expired_token_no_longer_works(world: World) -> None:
    raw = raw_token(world.of_admin)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(raw).get("/dossiers").status_code == 401


def test_a_deactivated_account_s_token_no_longer_works(world: World) -> None:
    raw = raw_token(world.of_user)
    world.of_user.is_active = False
    world.of_user.save()
    assert ApiClient(raw).get("/dossiers").status_code == 401


def test_a_token_sees_exactly_what_its_user_sees(
    world: World, api: Callable[[str | None], ApiClient]
) -> None:
    numbers = {d["number"] for d in api("other_of_user").get("/dossiers").json()["items"]}
    assert numbers == {world.other_dossier.number}
    everything = {d["number"] for d in api("agent").get("/dossiers").json()["items"]}
    assert everything == {world.dossier.number, world.other_dossier.number}


def test_every_use_is_logged_with_the_token(world: World) -> None:
    client = ApiClient(raw_token(world.of_user))
    client.get("/dossiers")
    client.get(f"/dossiers/{world.dossier.number}")
    usages = ApiUsage.objects.order_by("id")
    assert [u.path for u in usages] == [
        "/api/v1/dossiers",
        f"/api/v1/dossiers/{world.dossier.number}",
    ]
    assert ApiToken.objects.get().last_used_at is not None


def test_past_the_rate_limit_a_token_gets_429_in_french(world: World, settings: Any) -> None:
    settings.API_RATE_LIMIT = 3
    client = ApiClient(raw_token(world.of_user))
    statuses = [client.get("/dossiers").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/dossiers").json()["detail"].startswith("Trop de requêtes avec ce jeton")
    assert ApiClient(raw_token(world.of_admin)).get("/dossiers").status_code == 200


def test_no_token_answers_401_as_a_problem(db: Any) -> None:
    response = ApiClient(None).get("/dossiers")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_openapi_description_and_its_documentation_are_served(db: Any) -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/dossiers/{number}/months/{month}/hours" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
