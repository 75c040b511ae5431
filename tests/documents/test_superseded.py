"""A superseded version says « Remplacé par la version N du … » in the certificate's
history and on the public verification page; a draft says it is one."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.models import CertificateVersion
from realisa.documents.services import generate_version
from tests.conftest import World
from tests.documents.conftest import make_certificate
from tests.factories import CertificateFactory

PARIS = ZoneInfo("Europe/Paris")
DAYS = [datetime(2026, 3, 31, 23, 30, tzinfo=PARIS), datetime(2026, 4, 2, 10, tzinfo=PARIS)]
FIRST_OF_MAY = datetime(2026, 5, 1, 0, 15, tzinfo=PARIS)  # 30 April in UTC


def issue(certificate: Certificate, when: datetime, status: str | None = None) -> Any:
    if status:
        certificate.status = status
        certificate.save(update_fields=["status"])
    with time_machine.travel(when, tick=False):
        return generate_version(certificate, reason=VersionReason.ENTRY, actor=None)


def verify(client: Client, version: CertificateVersion) -> str:
    response = client.get(reverse("documents:verify_reference", args=[version.reference]))
    assert response.status_code == 200
    return " ".join(response.text.replace("&#x27;", "'").split())


def test_the_verification_page_names_the_version_that_replaced_it(client: Client, db: None) -> None:
    certificate = make_certificate()
    first, second = (issue(certificate, when) for when in DAYS)

    page = verify(client, first)

    assert "Remplacé par la version 2 du 2 avril 2026 : c'est elle qui fait foi." in page
    assert "Remplacé" not in verify(client, second)


def test_past_the_next_version_the_latest_is_named_too(client: Client, db: None) -> None:
    certificate = make_certificate()
    first, second = (issue(certificate, when) for when in DAYS)
    issue(certificate, FIRST_OF_MAY)

    assert (
        "Remplacé par la version 2 du 2 avril 2026 ; la plus récente, la version 3 du "
        "1er mai 2026, est celle qui fait foi." in verify(client, first)
    )
    assert "Remplacé par la version 3 du 1er mai 2026 : c'est elle qui fait foi." in verify(
        client, second
    )


def test_a_draft_is_said_to_be_one_on_the_verification_page(client: Client, db: None) -> None:
    certificate = make_certificate()
    draft = issue(certificate, DAYS[0])
    certified = issue(certificate, DAYS[1], status=MonthStatus.CERTIFIED)

    assert "Document provisoire — non certifié" in verify(client, draft)
    assert "provisoire" not in verify(client, certified)


def history(client: Client, certificate: Certificate) -> str:
    response = client.get(reverse("documents:history", args=[certificate.pk]))
    assert response.status_code == 200
    return " ".join(response.text.split())


def test_the_history_says_which_version_replaced_each(world: World, client: Client) -> None:
    certificate = CertificateFactory(dossier=world.dossier)
    for when in (*DAYS, FIRST_OF_MAY):
        issue(certificate, when)
    client.force_login(world.of_user)

    page = history(client, certificate)

    assert "n° 3 (actuelle)</th>" in page
    assert 'n° 2<br><span class="help">Remplacé par la version 3 du 1er mai 2026</span>' in page
    assert 'n° 1<br><span class="help">Remplacé par la version 2 du 2 avril 2026</span>' in page


@pytest.mark.parametrize("who", ["beneficiary", "employer"])
def test_the_parties_history_names_the_next_version_they_may_see(
    world: World, client: Client, who: str
) -> None:
    certificate = CertificateFactory(dossier=world.dossier)
    issue(certificate, DAYS[0])  # the draft: the organisation's only
    issue(certificate, DAYS[1], status=MonthStatus.CERTIFIED)
    issue(certificate, FIRST_OF_MAY, status=MonthStatus.VALIDATED)
    client.force_login(world.user(who))

    page = history(client, certificate)

    assert "n° 1" not in page
    assert 'n° 2<br><span class="help">Remplacé par la version 3 du 1er mai 2026</span>' in page
