"""« Utilisateurs »: the admin creates, (de)activates and ticks « can_certify »; nobody else."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from realisa.accounts.models import User
from realisa.audit.models import AuditEvent
from realisa.choices import Role
from tests.conftest import World, run_background_jobs

NEW_PASSWORD = "un-long-mot-de-passe-2026"


def new_member(client: Client, **extra: str):
    data = {
        "username": "nadia.b",
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "nadia@example.org",
        **extra,
    }
    return client.post(reverse("organisations:member_create"), data, follow=True)


def test_the_admin_creates_a_user_who_chooses_a_password_by_email(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.of_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = new_member(client, can_certify="on")
    assert "Le compte nadia.b est créé" in response.text
    member = User.objects.get(username="nadia.b")
    assert member.role == Role.OF_USER and member.organisation == world.of_admin.organisation
    assert member.can_certify and not member.has_usable_password()
    assert AuditEvent.objects.filter(action="account.created", object_id=str(member.pk)).exists()

    run_background_jobs()
    (message,) = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert "Votre identifiant : nadia.b" in message.body
    link = re.search(r"http://\S+/mot-de-passe/creer/\S+/", message.body)
    assert link is not None

    client.logout()
    form_page = client.get(link.group(0).removeprefix("http://127.0.0.1:8000"), follow=True)
    assert "Choisir votre mot de passe" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Mot de passe enregistré" in done.text
    logged = client.post(
        reverse("login"), {"username": "nadia.b", "password": NEW_PASSWORD}, follow=True
    )
    assert "<h1>Mes dossiers</h1>" in logged.text


def test_a_taken_username_is_refused_in_french(world: World, client: Client) -> None:
    client.force_login(world.of_admin)
    response = new_member(client, username=world.of_user.username)
    assert "Cet identifiant est déjà pris." in response.text
    assert 'value="Nadia"' in response.text


def test_ticking_and_unticking_can_certify_is_recorded(world: World, client: Client) -> None:
    client.force_login(world.of_admin)
    url = reverse("organisations:member_can_certify", args=[world.of_user.pk])
    client.post(url, {"can_certify": "1"})
    world.of_user.refresh_from_db()
    assert world.of_user.can_certify
    client.post(url, {"can_certify": "0"})
    world.of_user.refresh_from_db()
    assert not world.of_user.can_certify
    actions = AuditEvent.objects.filter(object_id=str(world.of_user.pk)).values_list(
        "action", "actor", "ip"
    )
    assert list(actions) == [
        ("account.can_certify_granted", world.of_admin.pk, "127.0.0.1"),
        ("account.can_certify_revoked", world.of_admin.pk, "127.0.0.1"),
    ]


def test_a_deactivated_user_is_logged_out_and_can_be_reactivated(
    world: World, client: Client
) -> None:
    member = Client()
    member.force_login(world.of_user)
    client.force_login(world.of_admin)
    client.post(reverse("organisations:member_deactivate", args=[world.of_user.pk]))
    assert member.get(reverse("dossiers:list")).status_code == 302
    page = client.get(reverse("organisations:members")).text
    assert "Désactivé" in page and "Réactiver" in page
    client.post(reverse("organisations:member_reactivate", args=[world.of_user.pk]))
    world.of_user.refresh_from_db()
    assert world.of_user.is_active
    events = AuditEvent.objects.filter(object_id=str(world.of_user.pk), actor=world.of_admin)
    assert [event.action for event in events] == ["account.deactivated", "account.reactivated"]


@pytest.mark.parametrize("who", ["of_admin", "other_of_admin"])
def test_the_admin_neither_deactivates_itself_nor_another_admin(
    world: World, client: Client, who: str
) -> None:
    client.force_login(world.of_admin)
    target = world.user(who)
    response = client.post(
        reverse("organisations:member_deactivate", args=[target.pk]), follow=True
    )
    target.refresh_from_db()
    assert target.is_active
    if who == "of_admin":
        assert "Vous ne pouvez pas désactiver votre propre compte." in response.text
    else:
        assert response.status_code == 404  # another organisation's account: not found


def test_an_admin_never_reaches_another_organisations_users(world: World, client: Client) -> None:
    client.force_login(world.other_of_admin)
    url = reverse("organisations:member_can_certify", args=[world.of_user.pk])
    assert client.post(url, {"can_certify": "1"}).status_code == 404
    page = client.get(reverse("organisations:members")).text
    assert world.other_of_user.username in page
    assert world.of_user.username not in page


def test_a_user_never_manages_accounts(world: World, client: Client) -> None:
    client.force_login(world.of_user)
    assert client.get(reverse("organisations:members")).status_code == 403
    assert new_member(client).status_code == 403
    assert not User.objects.filter(username="nadia.b").exists()
