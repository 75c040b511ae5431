"""Fixtures of the hours entry tests: a month of a dossier with its planned calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile

from realisa.choices import ReviewStatus
from realisa.dossiers.models import Dossier
from realisa.organisations.models import CertifierDocument, Organisation
from tests.factories import PlannedDayFactory

MARCH = date(2026, 3, 1)  # a month of the world's dossier (12 January to 19 June 2026)
HOUR = 60
# Monday 2 to Wednesday 4 March in the centre, Thursday 5 in the company: 28 h planned.
PLANNED_DAYS = {
    date(2026, 3, 2): (7 * HOUR, 0),
    date(2026, 3, 3): (7 * HOUR, 0),
    date(2026, 3, 4): (7 * HOUR, 0),
    date(2026, 3, 5): (0, 7 * HOUR),
}
PLANNED_TOTAL = 28 * HOUR


def plan_march(dossier: Dossier) -> None:
    for day, (centre, internship) in PLANNED_DAYS.items():
        PlannedDayFactory(
            dossier=dossier, date=day, centre_minutes=centre, internship_minutes=internship
        )


@pytest.fixture
def own_plan(world: Any, settings: Any) -> Any:
    """The world, its dossier paperless: its organisation enters its planned calendar;
    national public holidays only."""
    settings.PUBLIC_HOLIDAYS_REGION = ""
    world.dossier.is_paperless = True
    world.dossier.save(update_fields=["is_paperless"])
    return world


@pytest.fixture
def dossier(world: Any) -> Dossier:
    """The world's dossier (entered as totals) with March planned."""
    plan_march(world.dossier)
    return world.dossier  # type: ignore[no-any-return]


@pytest.fixture
def paperless(dossier: Dossier) -> Dossier:
    """The same dossier, paperless: March is entered day by day."""
    dossier.is_paperless = True
    dossier.save(update_fields=["is_paperless"])
    return dossier


def make_online_ready(organisation: Organisation) -> None:
    """Certifier, both documents conformes, a stamp: its users may certify online."""
    organisation.is_certifier = True
    organisation.stamp.save("cachet.png", ContentFile(b"\x89PNG"), save=False)
    organisation.save()
    for kind in CertifierDocument.Kind.values:
        document = CertifierDocument(
            organisation=organisation, kind=kind, review_status=ReviewStatus.COMPLIANT
        )
        document.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4"), save=True)
