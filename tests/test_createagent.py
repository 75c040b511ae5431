"""``createagent``: the funder's first agent, created from the server, chooses a password
from the invitation's link, which the command prints too."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from realisa.accounts.models import User
from realisa.audit.models import AuditEvent
from realisa.choices import Role
from tests.conftest import run_background_jobs


@pytest.mark.django_db
def test_the_first_agent_chooses_a_password_from_the_link(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://realisa.example.org"
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "createagent",
            "claire.dubois@tp.example.org",
            "--prenom",
            "Claire",
            "--nom",
            "Dubois",
            stdout=out,
        )
    agent = User.objects.get()
    assert (agent.role, agent.get_full_name(), agent.has_usable_password()) == (
        Role.AGENT,
        "Claire Dubois",
        False,
    )
    printed = out.getvalue()
    assert f"Compte agent créé : identifiant {agent.username}." in printed
    link = printed.split("\n  ")[1].strip()
    assert link.startswith("https://realisa.example.org/")
    run_background_jobs()
    (email,) = mail.outbox
    assert email.to == ["claire.dubois@tp.example.org"]
    assert "en tant qu'agent" in email.body and link in email.body
    event = AuditEvent.objects.get(action="account.created")
    assert event.payload["source"] == "commande createagent" and event.actor is None

    client = Client()
    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    password = "Un-mot-de-passe-solide-2026"
    chosen = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )
    assert chosen.status_code == 302
    signed_in = Client().post(
        reverse("login"), {"username": agent.username, "password": password}, follow=True
    )
    assert signed_in.wsgi_request.user == agent


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "refusal"),
    [("pas-une-adresse", "n'est pas une adresse e-mail valide"), ("a@b.org", "existe déjà")],
)
def test_a_bad_or_taken_address_is_refused(email: str, refusal: str) -> None:
    User.objects.create(username="a", email="a@b.org", role=Role.AGENT)
    with pytest.raises(CommandError, match=refusal):
        call_command("createagent", email, stdout=StringIO())
    assert User.objects.count() == 1
