"""The invitation of a person an import created: a link to choose a password that works
once and expires; « Comptes non activés » shows who has not used it and sends it again."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.models import AuditEvent
from realisa.funder.dossier_import import run
from tests.conftest import World, run_background_jobs
from tests.funder.test_dossier_import import csv_of, line

PASSWORD = "un-long-mot-de-passe-2026"


def invitation_link(address: str) -> str:
    """The path of the last invitation sent to ``address``."""
    run_background_jobs()
    message = [m for m in mail.outbox if m.to == [address]][-1]
    found = re.search(r"http://\S+(/mot-de-passe/creer/\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def import_one(world: World, capture) -> User:
    with capture(execute=True):
        run(csv_of(line()), actor=world.agent, commit=True)
    return User.objects.get(email="camille@example.org")


def choose_password(client: Client, link: str):
    page = client.get(link, follow=True)
    if "Ce lien n'est plus valable" in unescape(page.text):
        return page
    return client.post(
        page.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )


def test_the_invitation_works_once(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    camille = import_one(world, django_capture_on_commit_callbacks)
    link = invitation_link("camille@example.org")
    done = choose_password(client, link)
    assert "Mot de passe enregistré" in unescape(done.text)
    camille.refresh_from_db()
    assert camille.has_usable_password()
    logged = client.post(
        reverse("login"), {"username": camille.username, "password": PASSWORD}, follow=True
    )
    assert "<h1>Mes dossiers</h1>" in logged.text
    client.logout()
    again = client.get(link, follow=True)
    assert "Ce lien n'est plus valable : il a déjà servi ou il a expiré." in unescape(again.text)


def test_the_invitation_expires_after_three_days(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    import_one(world, django_capture_on_commit_callbacks)
    link = invitation_link("camille@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=23)):
        page = client.get(link, follow=True)
    assert "Choisir votre mot de passe" in unescape(page.text)
    client.cookies.clear()
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        page = client.get(link, follow=True)
    assert "Ce lien n'est plus valable : il a déjà servi ou il a expiré." in unescape(page.text)


def test_the_agent_sees_who_has_not_activated_and_resends(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    camille = import_one(world, django_capture_on_commit_callbacks)
    client.force_login(world.agent)
    page = unescape(client.get(reverse("funder:invitations")).text)
    assert "Camille Durand</strong> — Bénéficiaire" in page
    assert "Identifiant camille@example.org · camille@example.org" in page
    assert "Dernière invitation le" in page
    assert "admin@clf.example</strong> — Administrateur de l'organisme, Centre Lorrain" in page
    assert world.beneficiary.username not in page  # activated long ago

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        client.force_login(world.agent)  # a new day, a new session
        first_link = invitation_link("camille@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(reverse("funder:invitation_resend", args=[camille.pk]), follow=True)
        assert "Invitation renvoyée à camille@example.org." in unescape(done.text)
        new_link = invitation_link("camille@example.org")
        assert new_link != first_link
        assert AuditEvent.objects.filter(
            action="account.invitation_resent", object_id=str(camille.pk), actor=world.agent
        ).exists()
        client.logout()
        expired = client.get(first_link, follow=True)
        assert "Ce lien n'est plus valable" in unescape(expired.text)
        assert "Mot de passe enregistré" in unescape(choose_password(client, new_link).text)

    client.force_login(world.agent)
    page = unescape(client.get(reverse("funder:invitations")).text)
    assert "Camille Durand</strong>" not in page
    refused = client.post(reverse("funder:invitation_resend", args=[camille.pk]), follow=True)
    assert "Ce compte est déjà activé : il n'y a plus d'invitation à envoyer." in unescape(
        refused.text
    )


def test_only_agents_resend(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    camille = import_one(world, django_capture_on_commit_callbacks)
    client.force_login(world.of_admin)
    response = client.post(reverse("funder:invitation_resend", args=[camille.pk]))
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="account.invitation_resent").exists()
