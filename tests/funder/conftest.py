"""Fixtures of the funder's back-office tests: months in every state on the world's dossier."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from realisa.certificates.models import Certificate
from realisa.choices import CertificationMethod, MonthStatus
from realisa.dossiers.models import Dossier
from tests.factories import CertificateFactory

# The world's dossier runs from 12 January to 19 June 2026.
JANUARY, FEBRUARY, MARCH, APRIL = (date(2026, m, 1) for m in (1, 2, 3, 4))


def certified(dossier: Dossier, month: date, **fields: Any) -> Certificate:
    """A month certified on paper (certification 1): ready to transmit."""
    return CertificateFactory(dossier=dossier, month=month, certified=True, **fields)  # type: ignore[no-any-return]


def validated(dossier: Dossier, month: date) -> Certificate:
    """A month certified online and validated by the beneficiary: ready to transmit."""
    return certified(
        dossier,
        month,
        status=MonthStatus.VALIDATED,
        certification_method=CertificationMethod.ONLINE,
        validated_at=timezone.now(),
    )


@pytest.fixture
def agent_client(world: Any) -> Client:
    client = Client()
    client.force_login(world.agent)
    return client
