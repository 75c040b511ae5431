"""At national scale, the back-office's pages run the same queries for 1,000 and for 10,000
dossiers shaped like the network's (``seed_demo --scale``): none of them reads one query per
dossier, month or organisation. The bench (bench/bench_national.py) times them at 100,000."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from realisa.accounts.models import User
from realisa.choices import Role
from realisa.demo.scale import build_scale
from realisa.dossiers.models import Dossier
from realisa.organisations.models import Organisation
from tests.test_query_counts import get_counted

TODAY = date(2026, 11, 16)
PAGES = {
    "agent": [
        "funder:dashboard",
        "funder:delays",
        "funder:transmissions",
        "funder:late_list",
        "funder:journal",
        "funder:review_queue",
        "funder:invitations",
    ],
    "largest": ["dossiers:list"],  # « Mes dossiers » of the largest organisation
}
QUERIES = {
    "funder:dashboard": {"q": "Martin", "tri": "statut", "page": "2"},
    "funder:transmissions": {"mois": "2026-09", "tri": "-dossier"},
}


def counts(clients: dict[str, Client]) -> dict[str, int]:
    found = {}
    for who, names in PAGES.items():
        for name in names:
            path = reverse(name)
            found[name], _ = get_counted(clients[who], path)
            if name in QUERIES:
                filtered = f"{path}?{urlencode(QUERIES[name])}"
                found[f"{name}, filtré"], _ = get_counted(clients[who], filtered)
    return found


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_the_back_office_runs_the_same_queries_for_1000_and_10000_dossiers() -> None:
    build_scale(1000, today=TODAY, calendars=False)
    agent = User.objects.create(username="agent.national", role=Role.AGENT)
    largest = Organisation.objects.get(name="Organisme de formation 1")
    trainer = User.objects.create(username="of.largest", role=Role.OF_USER, organisation=largest)
    clients = {"agent": Client(), "largest": Client()}
    clients["agent"].force_login(agent)
    clients["largest"].force_login(trainer)
    counts(clients)  # warm the sessions and the caches
    small = counts(clients)
    build_scale(10_000, today=TODAY, calendars=False)
    assert Dossier.objects.filter(organisation=largest).count() == 10_000 // 20
    assert counts(clients) == small
