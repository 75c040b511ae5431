"""The month's page shows each person what their abilities allow, and a forged request
for what they may not do is refused with its French reason."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate
from tests.certificates.conftest import MARCH
from tests.conftest import World
from tests.factories import CertificateFactory


def url(name: str, certificate: Certificate) -> str:
    month = certificate.month
    return reverse(
        f"certificates:{name}", args=[certificate.dossier.number, month.year, month.month]
    )


def test_certifier_waits_for_the_signed_scan(client: Client, world: World) -> None:
    entered = CertificateFactory(dossier=world.dossier, month=MARCH)
    client.force_login(world.of_user)

    before = client.get(url("month", entered)).text
    entered.signed_scan.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"))
    after = client.get(url("month", entered)).text

    assert 'disabled aria-describedby="certifier-aide">Certifier</button>' in before
    assert "Déposez d'abord le certificat signé (étape 2)" in before
    assert 'class="button">Certifier</button>' in after


def test_the_beneficiary_sees_no_organisation_step(client: Client, world: World) -> None:
    certified = CertificateFactory(dossier=world.dossier, month=MARCH, certified=True)
    client.force_login(world.beneficiary)

    page = client.get(url("month", certified)).text

    assert "Étape 2 : déposer le certificat signé" not in page
    assert url("signed_scan_file", certified) in page  # shared from certification on


def test_a_user_without_the_box_is_refused_certification_2_with_the_reason(
    client: Client, world: World
) -> None:
    entered = CertificateFactory(dossier=world.dossier, month=MARCH, accepts_ip_use=True)
    client.force_login(world.of_user)

    response = client.post(url("online_send", entered))

    assert response.status_code == 403
    assert "La certification 100 % dématérialisée n&#x27;est pas possible" in response.text


def test_a_draft_s_hours_stay_the_organisation_s_until_certified(
    client: Client, world: World
) -> None:
    entered = CertificateFactory(dossier=world.dossier, month=MARCH, centre_minutes=7 * 60)
    client.force_login(world.beneficiary)

    page = client.get(url("month", entered)).text

    assert "Aucune heure saisie pour ce mois." in page and "7 h" not in page
