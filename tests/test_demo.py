"""The demo data: idempotent, with a login for every role reaching its own space."""

from datetime import date

import pytest
from django.core.management import call_command
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


@pytest.mark.django_db
def test_seed_demo_prints_the_logins_and_can_run_twice(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    out = capsys.readouterr().out
    assert "realisa-demo" in out
    for username in LOGINS:
        assert username in out


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
