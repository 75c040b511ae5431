"""Account security: lockout (django-axes), session lifetime, password reset, audit trail."""

import re
from datetime import timedelta

import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from realisa import settings as project_settings
from realisa.audit.models import AuditEvent, ConnectionEvent
from tests.conftest import World, run_background_jobs
from tests.factories import PASSWORD

LOGIN = reverse("login")
HOME = reverse("dossiers:list")


WRONG = "faux"


def attempt(client: Client, username: str, password: str = WRONG, ip: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_passwords_are_hashed_with_argon2() -> None:
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_five_failures_lock_the_username_from_that_address_for_15_minutes(
    world: World, client: Client
) -> None:
    name = world.of_user.username
    for _ in range(4):
        assert attempt(client, name).status_code == 200
    locked = attempt(client, name)
    assert locked.status_code == 429
    assert "Connexion bloquée pour 15 minutes" in locked.text
    assert attempt(client, name, PASSWORD).status_code == 429  # even the right password
    assert attempt(client, name, PASSWORD, ip="10.1.2.3").status_code == 302  # another address
    assert attempt(Client(), world.of_admin.username, PASSWORD).status_code == 302


def test_the_lock_expires_after_15_minutes(world: World, client: Client) -> None:
    name = world.of_user.username
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            attempt(client, name)
        traveller.shift(timedelta(minutes=14))
        assert attempt(client, name, PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=2))
        assert attempt(client, name, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failures(world: World, client: Client) -> None:
    name = world.of_user.username
    for _ in range(4):
        attempt(client, name)
    assert attempt(client, name, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, name).status_code == 200


def test_logins_failures_and_lockouts_are_audited_with_the_ip(world: World, client: Client) -> None:
    name = world.of_user.username
    attempt(client, name, PASSWORD, ip="192.0.2.7")
    client.logout()
    for _ in range(5):
        attempt(client, name, ip="192.0.2.8")
    events = ConnectionEvent.objects.exclude(action="account.logout")
    login = events.get(action="account.login")
    assert (login.user, login.ip) == (world.of_user, "192.0.2.7")
    failures = events.filter(action="account.login_failed")
    assert failures.count() == 5
    assert {(event.ip, event.username) for event in failures} == {("192.0.2.8", name)}
    lockout = events.get(action="account.locked_out")
    assert (lockout.ip, lockout.username) == ("192.0.2.8", name)


def test_connection_events_stay_out_of_the_evidence_chain(world: World, client: Client) -> None:
    attempt(client, world.of_user.username, PASSWORD)
    assert ConnectionEvent.objects.filter(action="account.login").exists()
    assert not AuditEvent.objects.filter(action__startswith="account.log").exists()


def test_the_session_key_changes_at_login(world: World, client: Client) -> None:
    session = client.session
    session["before"] = "login"
    session.save()
    before = session.session_key
    attempt(client, world.of_user.username, PASSWORD)
    assert client.session.session_key != before


def test_a_session_ends_after_30_minutes_without_a_request(world: World, client: Client) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(world.of_user)
        for _ in range(3):
            traveller.shift(timedelta(minutes=29))
            assert client.get(HOME).status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get(HOME).status_code == 302


def test_a_session_ends_12_hours_after_login_however_active(world: World, client: Client) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(world.of_user)
        for _ in range(12 * 60 // 20):
            assert client.get(HOME).status_code == 200
            traveller.shift(timedelta(minutes=20))
        traveller.shift(timedelta(minutes=1))
        response = client.get(HOME, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "Votre session a expiré : reconnectez-vous." in response.text


def test_a_forgotten_password_is_chosen_again_through_an_emailed_link(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    for _ in range(5):
        attempt(client, world.of_user.username)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": world.of_user.email}, follow=True
        )
    assert "Vérifiez votre messagerie" in response.text
    run_background_jobs()
    (message,) = mail.outbox
    assert message.subject == "Réalisa — réinitialisation de votre mot de passe"
    link = re.search(r"http://127.0.0.1:8000(/mot-de-passe/nouveau/\S+/)", message.body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert "Choisir un nouveau mot de passe" in form.text
    new = "un-autre-mot-de-passe-long"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert attempt(client, world.of_user.username, new).status_code == 302  # lock lifted too
    assert AuditEvent.objects.filter(action="account.password_set").count() == 1
    reused = client.get(link.group(1), follow=True)
    assert "Ce lien n'est plus valable" in reused.text


def test_an_unknown_email_gets_the_same_answer_and_no_mail(
    db: None, client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "x@example.org"}, follow=True)
    assert "Vérifiez votre messagerie" in response.text
    run_background_jobs()
    assert mail.outbox == []


def test_the_session_is_written_at_most_once_a_minute(world: World, client: Client) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(world.of_user)
        session = Session.objects.get()
        traveller.shift(timedelta(seconds=30))
        client.get(HOME)  # a page and its images: no write, no collision between them
        assert Session.objects.get().expire_date == session.expire_date
        traveller.shift(timedelta(seconds=31))
        client.get(HOME)
        assert Session.objects.get().expire_date == session.expire_date + timedelta(seconds=61)
