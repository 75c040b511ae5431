"""A dossier's life sent by the funder's system through ``PUT /funder/dossiers``:
``ended_on`` and all of its ``interruptions``, written as the agent's own steps are; the
same call again, or one without them, changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from realisa.audit.models import AuditEvent
from realisa.certificates.queries import month_rows
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier, Interruption
from tests.api.conftest import ApiClient
from tests.api.test_funder_dossiers import put, row
from tests.conftest import World

Api = Callable[[str | None], ApiClient]


def interruptions(*periods: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"start": s, "end": e, "reason": r} for s, e, r in periods]


def test_the_api_sets_all_the_interruptions(world: World, api: Api) -> None:
    funder = api("agent")
    leave = interruptions(("2027-02-01", "2027-02-28", "Arrêt maladie"))
    first = put(funder, row(interruptions=leave)).json()["results"][0]
    assert first["outcome"] == "created"
    assert first["dossier"]["interruptions"] == leave and first["dossier"]["ended_on"] is None
    assert "interruption du 01/02/2027 au 28/02/2027 : (vide) → ajoutée" in first["changes"]
    dossier = Dossier.objects.get(number="PTP-2027-0001")
    assert list(dossier.interruptions.values_list("start", "end")) == [
        (date(2027, 2, 1), date(2027, 2, 28))
    ]
    statuses = {
        r.period.month: r.status for r in month_rows(dossier, world.agent, date(2027, 7, 1))
    }
    assert statuses[date(2027, 2, 1)] == MonthStatus.INTERRUPTED

    # The same call again: nothing; without the field: kept as recorded.
    assert put(funder, row(interruptions=leave)).json()["results"][0]["outcome"] == "unchanged"
    assert put(funder, row()).json()["results"][0]["outcome"] == "unchanged"
    assert Interruption.objects.count() == 1

    moved = interruptions(("2027-03-01", "2027-03-31", "Congé maternité"))
    result = put(funder, row(interruptions=moved)).json()["results"][0]
    assert result["outcome"] == "updated"
    assert sorted(result["changes"]) == [
        "interruption du 01/02/2027 au 28/02/2027 : (vide) → retirée",
        "interruption du 01/03/2027 au 31/03/2027 : (vide) → ajoutée",
    ]
    assert list(Interruption.objects.values_list("reason", flat=True)) == ["Congé maternité"]
    actions = list(
        AuditEvent.objects.filter(action__startswith="dossier.inter").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "dossier.interrupted",
        "dossier.interruption_removed",
        "dossier.interrupted",
    ]
    assert put(funder, row(interruptions=[])).json()["results"][0]["outcome"] == "updated"
    assert not Interruption.objects.exists()


def test_the_api_refuses_a_wrong_interruption_on_its_row(world: World, api: Api) -> None:
    funder = api("agent")
    overlapping = interruptions(
        ("2027-02-01", "2027-02-28", "Arrêt maladie"),
        ("2027-02-20", "2027-03-10", "Arrêt maladie"),
    )
    results = put(
        funder,
        row(interruptions=overlapping),
        row(
            "PTP-2027-0002",
            beneficiary_reference="B-2",
            interruptions=interruptions(("2026-12-01", "2027-01-10", "Arrêt")),
            ended_on="2027-05-01",
            end_reason="",
        ),
    ).json()["results"]
    assert results[0]["errors"] == [
        "interruption du 20/02/2027 au 10/03/2027 : elle chevauche la précédente."
    ]
    assert results[1]["errors"] == [
        "fin anticipée : Indiquez le motif de la fin anticipée (abandon, embauche…).",
        "interruption du 01/12/2026 au 10/01/2027 : L'interruption doit être comprise dans la "
        "formation (du 04/01/2027 au 01/05/2027).",
    ]
    assert not Dossier.objects.filter(number__startswith="PTP-2027-").exists()
