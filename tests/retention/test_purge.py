"""``purge_archives``: a dry run lists, the funder's confirmation purges; each purged file
leaves its tombstone, and ``verify_audit_chain`` counts it as purged, not missing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.documents.models import CertificateVersion
from realisa.funder.journal import entries
from realisa.funder.models import PurgedFile
from realisa.funder.purge import expired_files
from tests.conftest import World
from tests.retention.conftest import paid


def test_nothing_goes_without_a_payment_nor_before_its_deadline(
    world: World, stored: dict[str, Any]
) -> None:
    assert expired_files(_today()) == []
    paid(world.dossier, years_ago=3)  # the certificate's deadline is 31 December this year
    assert expired_files(_today()) == []


def test_the_certificate_goes_after_3_years_its_supporting_documents_after_6(
    world: World, stored: dict[str, Any]
) -> None:
    paid(world.dossier, years_ago=4)
    assert [file.name for file in expired_files(_today())] == [stored["version"]]
    paid(world.dossier, years_ago=7)  # an older payment: the last one still counts
    assert [file.name for file in expired_files(_today())] == [stored["version"]]


def test_a_dossier_cofunded_by_european_funds_keeps_everything_10_years(
    world: World, stored: dict[str, Any]
) -> None:
    world.dossier.european_cofunding = True
    world.dossier.save()
    paid(world.dossier, years_ago=7)
    assert expired_files(_today()) == []
    paid(world.dossier, years_ago=11)
    assert expired_files(_today()) == []  # the last payment is 7 years ago


def test_a_dry_run_lists_and_deletes_nothing(
    world: World, stored: dict[str, Any], capsys: Any
) -> None:
    paid(world.dossier, years_ago=7)
    call_command("purge_archives")
    out = capsys.readouterr().out
    assert "3 pièces échues" in out and "Simulation : rien n'a été supprimé" in out
    assert all(name in out for name in stored.values())
    assert all(default_storage.exists(name) for name in stored.values())
    assert not PurgedFile.objects.exists()


@pytest.mark.parametrize("login", ["", "personne", "of_user"])
def test_the_purge_needs_an_agent_of_the_funder(
    world: World, stored: dict[str, Any], login: str
) -> None:
    paid(world.dossier, years_ago=7)
    agent = world.of_user.username if login == "of_user" else login
    with pytest.raises(CommandError, match="agent"):
        call_command("purge_archives", "--confirm", f"--agent={agent}")
    assert all(default_storage.exists(name) for name in stored.values())


def test_the_confirmed_purge_leaves_a_tombstone_and_the_chain_verifies(
    world: World,
    stored: dict[str, Any],
    capsys: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    paid(world.dossier, years_ago=7)
    version = CertificateVersion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_archives", "--confirm", f"--agent={world.agent.username}")
    assert not any(default_storage.exists(name) for name in stored.values())
    tombstone = PurgedFile.objects.get(name=stored["version"])
    assert (tombstone.sha256, tombstone.decided_by) == (version.sha256, world.agent)
    assert tombstone.dossier_number == world.dossier.number
    assert PurgedFile.objects.count() == 3
    assert CertificateVersion.objects.get() == version  # the row stays
    (event,) = AuditEvent.objects.filter(action=EventType.FILES_PURGED)
    assert event.actor == world.agent and event.payload["purged"] == 3
    assert entries([event])[0].sentence == (
        f"{world.agent.get_full_name()} a purgé 3 pièces du dossier {world.dossier.number}, "
        "leur durée de conservation échue"
    )
    capsys.readouterr()
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "Chaîne intacte" in out and "Fichiers purgés à l'échéance" in out
    assert "manquant" not in out
    call_command("purge_archives")
    assert "0 pièce échue" in capsys.readouterr().out


def test_a_purged_file_whose_recorded_sha256_changed_is_named(
    world: World, stored: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    paid(world.dossier, years_ago=7)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_archives", "--confirm", f"--agent={world.agent.username}")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE certificates_attendancesheet SET sha256 = %s", ["0" * 64])
    with pytest.raises(CommandError, match="Empreinte modifiée") as error:
        call_command("verify_audit_chain")
    assert stored["sheet"] in str(error.value)


def test_a_rehearsal_date_cannot_be_in_the_future_when_purging(world: World) -> None:
    with pytest.raises(CommandError, match="aujourd'hui"):
        call_command(
            "purge_archives", "--confirm", f"--agent={world.agent.username}", "--today=2999-01-01"
        )


def _today() -> date:
    """The day the command itself compares the deadlines with."""
    return timezone.localdate()
