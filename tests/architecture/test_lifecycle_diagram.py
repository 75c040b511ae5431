"""The state diagram of docs/architecture.md is the lifecycle's table."""

from __future__ import annotations

import re
from pathlib import Path

from realisa.certificates.lifecycle import TABLE, Event

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
EDGE = re.compile(r"^\s*(\w+) --> (\w+): (\w+)\s*$")


def diagram_edges() -> set[tuple[str, str, str]]:
    """The diagram's stored edges: those labelled with an event's name."""
    section = DOC.read_text().split("## 6. The certificate's life", 1)[1].split("\n## ", 1)[0]
    block = section.split("```mermaid", 1)[1].split("```", 1)[0]
    events = {event.value for event in Event}
    found = (EDGE.match(line) for line in block.splitlines())
    return {m.groups() for m in found if m and m.group(3) in events}


def table_edges() -> set[tuple[str, str, str]]:
    edges = set()
    for event, transition in TABLE.items():
        targets = [transition.target] if transition.target else transition.returns_to
        for source in transition.sources:
            edges |= {(source.value, target.value, event.value) for target in targets}
    return edges


def test_the_diagram_draws_every_transition_of_the_table_and_no_other() -> None:
    assert diagram_edges() == table_edges()


def test_every_event_has_a_transition() -> None:
    assert set(TABLE) == set(Event)
