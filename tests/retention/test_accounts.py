"""The accounts of beneficiaries and employers whose dossiers are all past their deadline:
deactivated, then erased at a later run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.dossiers.models import Beneficiary
from realisa.funder import retirement
from realisa.funder.journal import entries
from realisa.lib.retention import ERASE_AFTER_DAYS
from tests.conftest import World
from tests.factories import DossierFactory
from tests.retention.conftest import paid

pytestmark = pytest.mark.django_db


def test_only_accounts_whose_dossiers_are_all_past_are_deactivated(
    world: World, capsys: Any
) -> None:
    paid(world.dossier, years_ago=7)
    paid(world.other_dossier, years_ago=5)  # its scans are kept 6 years
    call_command("purge_archives", "--confirm", f"--agent={world.agent.username}")
    out = capsys.readouterr().out
    assert "2 comptes désactivés" in out
    for user in (world.beneficiary, world.employer):
        user.refresh_from_db()
        assert not user.is_active
    for user in (world.other_beneficiary, world.other_employer, world.of_user):
        user.refresh_from_db()
        assert user.is_active
    event = AuditEvent.objects.filter(action=EventType.ACCOUNT_DEACTIVATED).first()
    assert event is not None and event.payload == {"reason": retirement.RETENTION}


def test_an_employer_with_one_dossier_still_kept_stays_active(world: World) -> None:
    kept = DossierFactory(employer=world.dossier.employer)  # no payment: kept
    paid(world.dossier, years_ago=7)
    assert retirement.to_deactivate(timezone.localdate()) == [world.beneficiary]
    paid(kept, years_ago=7)
    assert set(retirement.to_deactivate(timezone.localdate())) == {
        world.beneficiary,
        world.employer,
    }


def test_a_deactivated_account_is_erased_after_the_grace_period(world: World) -> None:
    paid(world.dossier, years_ago=7)
    today, now = timezone.localdate(), timezone.now()
    retirement.deactivate(retirement.to_deactivate(today), world.agent)
    assert retirement.to_erase(today, now) == []
    later = now + timedelta(days=ERASE_AFTER_DAYS + 1)
    erased = retirement.to_erase(today, later)
    assert set(erased) == {world.beneficiary, world.employer}
    retirement.erase(erased, world.agent)
    beneficiary = User.objects.get(pk=world.beneficiary.pk)
    assert beneficiary.username == f"efface-{beneficiary.pk}"
    assert (beneficiary.first_name, beneficiary.last_name, beneficiary.email) == ("", "", "")
    assert not beneficiary.has_usable_password() and not beneficiary.is_active
    assert Beneficiary.objects.get(user=beneficiary).email == ""
    assert retirement.to_erase(today, later) == []  # erased once
    event = AuditEvent.objects.filter(action=EventType.ACCOUNT_ERASED).first()
    assert event is not None
    assert entries([event])[0].sentence.endswith(
        f"a effacé les données personnelles du compte efface-{event.object_id}"
    )
    call_command("verify_audit_chain")
