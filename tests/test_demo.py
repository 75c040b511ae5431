"""The demo data: idempotent, with a login for every role reaching its own space."""

import logging
import re
from datetime import date
from html import unescape
from io import StringIO
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from realisa.accounts.models import User
from realisa.certificates.models import Certificate
from realisa.certificates.queries import month_rows
from realisa.choices import CertificationMethod, MonthStatus, Role
from realisa.demo.world import DEMO_PASSWORD, build_demo
from realisa.dossiers.models import Beneficiary, Dossier, Payment, PlannedDay
from realisa.notifications.models import OutboxEmail
from realisa.organisations.models import Organisation
from tests.conftest import Inbox, run_background_jobs

TODAY = date(2026, 11, 27)
LOGINS = [
    "agent",
    "of.admin",
    "of.user",
    "horizon.admin",
    "beneficiaire",
    "beneficiaire2",
    "employeur",
]


def the_agent() -> User:
    """The demo's agent, who sees every month as it is."""
    return User.objects.get(username="agent")


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Organisation, Dossier, PlannedDay, Payment)
    }


@pytest.mark.django_db(transaction=True)  # its transaction commits, as it does for real
def test_seed_demo_prints_the_logins_and_can_run_twice(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    settings.SITE_URL = "http://127.0.0.1:8123"  # type: ignore[attr-defined]
    # The demo's own backend: any e-mail still to send would print itself in full.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # type: ignore[attr-defined]
    call_command("seed_demo")
    first = _counts()
    assert run_background_jobs() == 0  # its e-mails were sent (to memory) while it seeded
    out = capsys.readouterr().out
    call_command("seed_demo")
    assert _counts() == first
    assert "realisa-demo" in out
    for username in LOGINS:
        assert username in out
    assert "http://127.0.0.1:8123/demo/boite-mail/" in out
    assert "Content-Type" not in out and len(out.strip().splitlines()) <= len(LOGINS) + 5
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert OutboxEmail.objects.exists()
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()


@pytest.mark.django_db
def test_seed_demo_refuses_a_portal_not_in_demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="ne s'exécute qu'en mode démonstration"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("seed_demo", scale=10)
    assert not User.objects.exists() and not Dossier.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_sends_nothing_to_a_real_mail_server(
    settings: Any, smtp_server: tuple[Controller, Inbox]
) -> None:
    """Even with a real SMTP server configured and listening, and with --scale."""
    controller, inbox = smtp_server
    controller.start()
    call_command("seed_demo", scale=5, i_know_this_is_not_production=True, stdout=StringIO())
    assert run_background_jobs() == 0
    call_command("send_outbox", stdout=StringIO())  # what cron would run next
    assert OutboxEmail.objects.exists()
    assert inbox.received == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", LOGINS)
def test_every_demo_login_reaches_its_own_space(username: str) -> None:
    build_demo(TODAY)
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.username == username
    user = User.objects.get(username=username)
    visible = Dossier.objects.visible_to(user)
    assert visible.exists()
    for dossier in visible:
        assert dossier.number in response.text


@pytest.mark.django_db
def test_the_demo_tells_the_whole_story() -> None:
    build_demo(TODAY)
    formapro = Organisation.objects.get(name="Formapro Est")
    horizon = Organisation.objects.get(name="Centre Horizon")
    assert formapro.is_certifier and formapro.logo and formapro.stamp
    assert {d.review_status for d in formapro.certifier_documents.all()} == {"compliant"}
    assert not horizon.is_certifier
    assert User.objects.get(username="of.user").can_certify
    assert User.objects.get(username="of.admin").role == Role.OF_ADMIN
    assert (
        Dossier.objects.filter(
            organisation=formapro, beneficiary__user__username="beneficiaire"
        ).count()
        >= 2
    )
    assert Dossier.objects.filter(
        organisation=horizon, beneficiary__user__username="beneficiaire2"
    ).exists()

    dossiers = Dossier.objects.all()
    assert dossiers.count() >= 6
    assert {d.is_paperless for d in dossiers} == {True, False}
    assert all(d.planned_days.exists() for d in dossiers)
    assert any(d.end_date < TODAY for d in dossiers)
    assert any(d.start_date > TODAY for d in dossiers)
    assert any(d.start_date <= TODAY <= d.end_date for d in dossiers)

    statuses = [row.status for d in dossiers for row in month_rows(d, the_agent(), TODAY)]
    assert statuses.count(MonthStatus.LOCKED) == 1
    assert MonthStatus.AWAITING_ENTRY in statuses and MonthStatus.NOT_OPEN in statuses
    advance = Payment.objects.get(is_advance=True)
    covered = [
        r
        for r in month_rows(advance.dossier, the_agent(), TODAY)
        if r.period.month == advance.period_start.replace(day=1)
    ]
    assert covered[0].status == MonthStatus.AWAITING_ENTRY


@pytest.mark.django_db
def test_every_party_has_certificates_to_open_and_their_emails() -> None:
    build_demo(TODAY)
    for username in [
        "agent",
        "of.user",
        "horizon.admin",
        "beneficiaire",
        "beneficiaire2",
        "employeur",
    ]:
        user = User.objects.get(username=username)
        certified = Certificate.objects.visible_to(user).filter(status=MonthStatus.CERTIFIED)
        assert certified.exists(), username
        assert all(c.versions.exists() for c in certified), username
        paper = certified.filter(certification_method=CertificationMethod.PAPER)
        assert paper.exists() and all(c.signed_scan for c in paper), username
    assert Certificate.objects.filter(status=MonthStatus.ENTERED).exists()
    julie = Beneficiary.objects.get(user__username="beneficiaire")
    assert OutboxEmail.objects.filter(
        kind="certificate_available", to__icontains=julie.email
    ).exists()
    main = Dossier.objects.get(number="FPE-2026-0001")
    statuses = {row.period.month.month: row.status for row in month_rows(main, the_agent(), TODAY)}
    assert statuses[10] == MonthStatus.AWAITING_ENTRY  # left open for a person to try


@pytest.mark.django_db
def test_the_demo_shows_certification_2_and_the_funder_side() -> None:
    build_demo(TODAY)
    main = Dossier.objects.get(number="FPE-2026-0001")
    statuses = {row.period.month.month: row.status for row in month_rows(main, the_agent(), TODAY)}
    assert statuses[8] == MonthStatus.VALIDATED  # certified online, validated by Julie
    assert statuses[9] == MonthStatus.CERTIFIED  # certified online, awaiting her validation
    assert Certificate.objects.filter(status=MonthStatus.TRANSMITTED).count() >= 3
    assert Certificate.objects.filter(status=MonthStatus.ENTERED).exists()


def statuses_seen(client: Client) -> dict[MonthStatus, set[str]]:
    """Each status the months pages show, with the months (« dossier AAAA-MM ») it is shown
    for, as the person logged in reads them: the label in each month's row."""
    seen: dict[MonthStatus, set[str]] = {}
    home = client.get("/", follow=True).text
    for number in sorted(set(re.findall(r'href="/certificats/([A-Z]+-\d{4}-\d{4})/"', home))):
        page = unescape(client.get(reverse("certificates:dossier", args=[number])).text)
        rows = re.findall(
            r'<tr id="mois-(\d{4}-\d{2})">.*?<span class="status status-(\w+)">(.*?)</span>',
            page,
            re.S,
        )
        for month, value, label in rows:
            assert label == MonthStatus(value).label
            seen.setdefault(MonthStatus(value), set()).add(f"{number} {month}")
    return seen


@pytest.mark.django_db
def test_of_user_sees_a_month_of_each_state_on_first_login() -> None:
    build_demo(TODAY)
    client = Client()
    client.post(reverse("login"), {"username": "of.user", "password": DEMO_PASSWORD})

    seen = statuses_seen(client)

    assert set(seen) == set(MonthStatus), seen
    assert "FPE-2026-0001 2026-05" in seen[MonthStatus.CONTESTED]
    assert {"FPE-2026-0006 2026-09", "FPE-2026-0006 2026-10"} <= seen[MonthStatus.ENTERED]


@pytest.mark.django_db
def test_the_entered_months_show_every_step_of_their_certification() -> None:
    build_demo(TODAY)
    client = Client()
    client.post(reverse("login"), {"username": "of.user", "password": DEMO_PASSWORD})

    def month(number: str, year: int, month: int) -> str:
        url = reverse("certificates:month", args=[number, year, month])
        return unescape(client.get(url).text)

    paper = month("FPE-2026-0006", 2026, 10)
    for step in (
        "Étape 1 : imprimer et signer le certificat de réalisation",
        "Étape 2 : déposer le certificat signé",
        "Certificat signé déposé le",
        "Étape 3 : joindre les feuilles d'émargement (facultatif)",
        "feuille-emargement",
    ):
        assert step in paper, step
    assert re.search(r'<button type="submit" class="button">Certifier</button>', paper)

    online = month("FPE-2026-0006", 2026, 9)
    assert "Certification 2 : 100 % dématérialisée" in online
    assert reverse("certificates:online", args=["FPE-2026-0006", 2026, 9]) in online

    contested = month("FPE-2026-0001", 2026, 5)
    assert MonthStatus.CONTESTED.label in contested
    assert "rendez-vous médical" in contested  # Julie's comment, for the organisation
    assert "Modifier les heures" in contested
