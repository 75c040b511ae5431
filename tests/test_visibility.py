"""Who sees what: every role sees its own dossiers, and an outsider gets 404."""

import pytest
from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate
from realisa.dossiers.models import Beneficiary, Dossier, Employer, Payment, PlannedDay
from realisa.organisations.models import Organisation
from tests.conftest import World
from tests.factories import CertificateFactory, PaymentFactory, PlannedDayFactory

DOSSIER_PAGES = ["dossiers:detail", "certificates:dossier"]
INSIDERS = ["agent", "of_admin", "of_user", "beneficiary", "employer"]
OUTSIDERS = ["other_of_admin", "other_of_user", "other_beneficiary", "other_employer"]


@pytest.mark.parametrize("page", DOSSIER_PAGES)
@pytest.mark.parametrize("role", INSIDERS)
def test_each_party_of_a_dossier_opens_it(
    world: World, client: Client, role: str, page: str
) -> None:
    client.force_login(world.user(role))
    response = client.get(reverse(page, args=[world.dossier.number]))
    assert response.status_code == 200
    assert world.dossier.number in response.text


@pytest.mark.parametrize("page", DOSSIER_PAGES)
@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsider_gets_404(world: World, client: Client, role: str, page: str) -> None:
    client.force_login(world.user(role))
    response = client.get(reverse(page, args=[world.dossier.number]))
    assert response.status_code == 404
    assert "Page introuvable" in response.text


@pytest.mark.parametrize("page", DOSSIER_PAGES)
def test_anonymous_is_sent_to_the_login_page(world: World, client: Client, page: str) -> None:
    response = client.get(reverse(page, args=[world.dossier.number]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_member_sees_nothing(world: World, client: Client) -> None:
    world.of_user.is_active = False
    world.of_user.save()
    assert not Dossier.objects.visible_to(world.of_user).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("agent", {"dossier", "other_dossier"}),
        ("of_admin", {"dossier"}),
        ("of_user", {"dossier"}),
        ("beneficiary", {"dossier"}),
        ("employer", {"dossier"}),
        ("other_of_user", {"other_dossier"}),
        ("other_beneficiary", {"other_dossier"}),
    ],
)
def test_every_model_is_scoped_the_same_way(world: World, role: str, expected: set[str]) -> None:
    for name in ("dossier", "other_dossier"):
        dossier = getattr(world, name)
        PlannedDayFactory(dossier=dossier)
        PaymentFactory(dossier=dossier)
        CertificateFactory(dossier=dossier, certified=True)
    user = world.user(role)
    wanted = {getattr(world, name) for name in expected}
    assert set(Dossier.objects.visible_to(user)) == wanted
    assert {d.dossier for d in PlannedDay.objects.visible_to(user)} == wanted
    assert {p.dossier for p in Payment.objects.visible_to(user)} == wanted
    assert {c.dossier for c in Certificate.objects.visible_to(user)} == wanted
    assert set(Beneficiary.objects.visible_to(user)) == {d.beneficiary for d in wanted}
    assert set(Employer.objects.visible_to(user)) == {d.employer for d in wanted}


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("agent", {"dossier", "other_dossier"}),
        ("of_admin", {"dossier"}),
        ("beneficiary", set()),
        ("employer", set()),
    ],
)
def test_organisations_are_seen_by_their_members_and_the_funder(
    world: World, role: str, sees: set[str]
) -> None:
    expected = {getattr(world, name).organisation for name in sees}
    assert set(Organisation.objects.visible_to(world.user(role))) == expected


def test_the_list_shows_only_what_is_visible(world: World, client: Client) -> None:
    client.force_login(world.employer)
    response = client.get(reverse("dossiers:list"))
    assert world.dossier.number in response.text
    assert world.other_dossier.number not in response.text


@pytest.mark.parametrize("role", ["beneficiary", "employer"])
def test_the_beneficiary_and_employer_see_a_certificate_once_certified(
    world: World, role: str
) -> None:
    draft = CertificateFactory(dossier=world.dossier)
    certified = CertificateFactory(
        dossier=world.dossier,
        month=draft.month.replace(month=draft.month.month + 1),
        certified=True,
    )
    assert list(Certificate.objects.visible_to(world.user(role))) == [certified]
    assert set(Certificate.objects.visible_to(world.of_user)) == {draft, certified}
