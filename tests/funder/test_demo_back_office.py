"""The demo's back office: months transmitted in a batch, one organisation late."""

from __future__ import annotations

from datetime import date

from realisa.accounts.models import User
from realisa.choices import MonthStatus
from realisa.demo.back_office import seed_back_office
from realisa.demo.world import build_demo
from realisa.dossiers.models import Dossier
from realisa.funder.late import late_by_organisation
from realisa.funder.models import Transmission
from realisa.funder.transmission import ready_certificates

TODAY = date(2026, 11, 16)


def test_the_back_office_tells_a_story_and_is_idempotent(db: object) -> None:
    build_demo(TODAY)
    transmission = Transmission.objects.get()
    assert transmission.line_count > 0
    assert ready_certificates().exists()  # last month's, left for the agent
    build_demo(TODAY)
    assert Transmission.objects.get() == transmission
    agent = User.objects.get(username="agent")
    formapro = list(Dossier.objects.filter(number__in=["FPE-2026-0002", "FPE-2026-0003"]))
    assert seed_back_office(agent, formapro, today=TODAY) == transmission
    late = {org.name: months for org, months in late_by_organisation(TODAY).items()}
    assert "Centre Horizon" in late
    statuses = set(
        Dossier.objects.get(number="FPE-2026-0003").certificates.values_list("status", flat=True)
    )
    assert statuses == {MonthStatus.TRANSMITTED, MonthStatus.CERTIFIED}
