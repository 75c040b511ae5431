"""A month read through the API says what the token's user may do with it, with the same
answers as the screens (``certificates/abilities.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from realisa.certificates.abilities import NOT_CERTIFIER
from realisa.certificates.models import Certificate
from tests.api.conftest import FEBRUARY, MARCH, ApiClient
from tests.conftest import World

Api = Callable[[str | None], ApiClient]


def granted(month: dict[str, Any]) -> set[str]:
    return {name for name, value in month["abilities"].items() if value is True}


@pytest.mark.parametrize(
    ("role", "march", "february"),
    [
        (
            "of_user",
            {"enter_hours", "upload_scan", "add_sheets", "certify_paper", "download_scan"}
            | {"download_sheets", "download_evidence", "see_answer"},
            {"download_scan", "download_sheets", "download_evidence", "see_answer"},
        ),
        ("agent", {"download_scan", "download_sheets", "download_evidence", "see_answer"}, None),
        ("beneficiary", {"see_answer"}, {"see_answer", "download_scan"}),
        ("employer", set(), {"download_scan"}),
    ],
)
def test_each_month_carries_the_abilities_of_the_token_s_user(
    world: World,
    api: Api,
    months: dict[str, Certificate],
    role: str,
    march: set[str],
    february: set[str] | None,
) -> None:
    rows = {
        row["month"]: row
        for row in api(role).get(f"/dossiers/{world.dossier.number}/months").json()
    }
    one = api(role).get(f"/dossiers/{world.dossier.number}/months/{MARCH}").json()

    assert granted(rows[MARCH]) == march == granted(one)
    if february is not None:  # these factories made no PDF: nothing to download of it
        assert granted(rows[FEBRUARY]) == february
    if role == "agent":
        assert {"reopen", "transmit"} <= granted(rows[FEBRUARY])


def test_the_refusal_of_certification_2_is_in_the_month(
    world: World, api: Api, months: dict[str, Certificate]
) -> None:
    month = api("of_user").get(f"/dossiers/{world.dossier.number}/months/{MARCH}").json()

    assert not month["abilities"]["request_code"]
    assert NOT_CERTIFIER in month["abilities"]["online_refusal"]
