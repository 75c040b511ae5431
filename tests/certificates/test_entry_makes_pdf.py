"""Saving the hours makes the month's PDF: a new immutable version at each save."""

from django.test import Client
from django.urls import reverse

from realisa.choices import VersionReason
from realisa.dossiers.models import Dossier
from tests.certificates.test_entry_service import enter
from tests.conftest import World


def test_saving_hours_generates_a_new_version_each_time(world: World, dossier: Dossier) -> None:
    first = enter(dossier, world.of_user).certificate
    second = enter(dossier, world.of_user, version=1).certificate
    versions = list(second.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert {v.reason for v in versions} == {VersionReason.ENTRY}
    assert first.pk == second.pk
    assert versions[0].sha256 != versions[1].sha256


def test_the_months_tab_links_the_latest_pdf(
    world: World, dossier: Dossier, client: Client
) -> None:
    certificate = enter(dossier, world.of_user).certificate
    client.force_login(world.of_user)
    page = client.get(reverse("certificates:dossier", args=[dossier.number])).text
    assert reverse("documents:download", args=[certificate.pk]) in page
    assert "Télécharger le PDF" in page
    client.force_login(world.beneficiary)  # a draft until certified: no link that would 404
    page = client.get(reverse("certificates:dossier", args=[dossier.number])).text
    assert reverse("documents:download", args=[certificate.pk]) not in page
