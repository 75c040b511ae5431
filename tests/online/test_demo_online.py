"""The demo's months certified online: one validated, one awaiting validation, sealed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine

from realisa.accounts.models import User
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.demo.online import seed_online_certifications
from realisa.demo.world import build_demo
from realisa.documents.models import CertificateVersion
from realisa.documents.sealing import verify_pdf
from realisa.documents.services import latest_version
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import shift_month
from tests.online.conftest import PARIS

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)


def seed(this_month: Any) -> None:
    seed_online_certifications(
        Dossier.objects.get(number="FPE-2026-0001"),
        certifier=User.objects.get(username="of.user"),
        beneficiary=User.objects.get(username="beneficiaire"),
        validated_month=shift_month(this_month, -3),
        awaiting_month=shift_month(this_month, -2),
    )


@time_machine.travel(NOW, tick=False)
def test_the_demo_has_a_validated_and_an_awaiting_online_month_and_can_run_twice() -> None:
    build_demo()
    this_month = NOW.date().replace(day=1)
    seed(this_month)
    versions = CertificateVersion.objects.count()
    seed(this_month)

    assert CertificateVersion.objects.count() == versions
    months = {c.month: c for c in Certificate.objects.filter(dossier__number="FPE-2026-0001")}
    validated = months[shift_month(this_month, -3)]
    awaiting = months[shift_month(this_month, -2)]
    assert validated.status == MonthStatus.VALIDATED
    assert awaiting.status == MonthStatus.CERTIFIED
    assert validated.certification_method == awaiting.certification_method == "online"
    for certificate in (validated, awaiting):
        version = latest_version(certificate)
        assert version is not None
        with version.file.open("rb") as handle:
            assert verify_pdf(handle.read()).ok
