"""A dossier's early end sent by the instruction system in the import's optional columns
« fin_anticipee » and « motif_fin_anticipee »: written as the agent's own step is, and the
same file again, or one that does not know of it, changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import mail

from realisa.audit.models import AuditEvent
from realisa.dossiers.models import Dossier
from realisa.funder.dossier_data import Outcome
from realisa.funder.dossier_file import NAMES
from realisa.funder.dossier_import import run
from tests.conftest import World, run_background_jobs
from tests.funder.test_dossier_import import csv_of, line


def test_the_import_records_an_early_end_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    run(csv_of(line()), actor=world.agent, commit=True)
    ended = csv_of(line(fin_anticipee="12/03/2027", motif_fin_anticipee="Abandon"))
    preview = run(ended, actor=world.agent, commit=False)
    assert [str(c) for c in preview.lines[0].changes] == ["fin anticipée : aucune → 12/03/2027"]
    assert Dossier.objects.get(number="PTP-2027-0001").ended_on is None  # a preview only
    with django_capture_on_commit_callbacks(execute=True):
        report = run(ended, actor=world.agent, commit=True)
    assert report.lines[0].outcome == Outcome.UPDATED
    dossier = Dossier.objects.get(number="PTP-2027-0001")
    assert (dossier.ended_on, dossier.end_reason) == (date(2027, 3, 12), "Abandon")
    assert list(
        AuditEvent.objects.filter(action="dossier.ended_early").values_list("actor", flat=True)
    ) == [world.agent.pk]
    run_background_jobs()
    assert any("fin anticipée" in m.subject for m in mail.outbox)
    again = run(ended, actor=world.agent, commit=True)
    assert again.lines[0].outcome == Outcome.UNCHANGED
    # A later file that does not know of it (empty cells) keeps it.
    assert run(csv_of(line()), actor=world.agent, commit=True).lines[0].outcome == (
        Outcome.UNCHANGED
    )
    assert Dossier.objects.get(number="PTP-2027-0001").ended_on == date(2027, 3, 12)


def test_the_early_end_columns_are_optional_and_checked(world: World) -> None:
    without = [name for name in NAMES if name not in ("fin_anticipee", "motif_fin_anticipee")]
    assert (
        run(csv_of(line(), header=without), actor=world.agent, commit=False).lines[0].outcome
        == Outcome.CREATED
    )
    report = run(
        csv_of(
            line(fin_anticipee="30/06/2027", motif_fin_anticipee="Abandon"),
            line(dossier="A2", identifiant_beneficiaire="B-2", motif_fin_anticipee="Abandon"),
            line(dossier="A3", identifiant_beneficiaire="B-3", fin_anticipee="01/03/2027"),
        ),
        actor=world.agent,
        commit=True,
    )
    errors = {result.place: result.errors for result in report.refused}
    assert errors == {
        "ligne 2": [
            "fin anticipée : Le dernier jour de formation doit être compris dans la formation "
            "et avant sa fin prévue (du 04/01/2027 au 25/06/2027)."
        ],
        "ligne 3": ["motif de la fin anticipée : il faut aussi sa date (fin_anticipee)."],
        "ligne 4": ["fin anticipée : Indiquez le motif de la fin anticipée (abandon, embauche…)."],
    }
