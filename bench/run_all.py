"""make bench: run every benchmark of the project, then print one table of their figures.

Each benchmark is its own script (it can be run alone, with its options) and prints its
detailed table, then one line per headline figure: ``BENCH {json}`` with ``name``,
``value``, ``unit``, ``baseline`` (measured in the same run), ``ratio``, ``target``,
``met`` and an optional ``note``. This script runs them one after the other, shows their
output as it comes, and gathers those lines. It adds one figure of its own, the issue's
« render + seal » budget: the two medians added up, against the two baselines added up.

A benchmark that fails or misses its target does not stop the others; the exit status is
1 when any target is missed or any benchmark failed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    "bench_render.py",
    "bench_seal.py",
    "bench_batch.py",
    "bench_pages.py",
    "bench_export.py",
    "bench_national.py",
    "bench_batch_certification.py",
    "bench_ltv.py",
]
RENDER_SEAL_TARGET = 1.5


def run(script: str) -> tuple[list[dict[str, Any]], int, float]:
    """Run one benchmark, echoing its output; its BENCH figures, exit status, duration."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None  # noqa: S101 (stdout=PIPE above)
    figures = []
    for line in process.stdout:
        if line.startswith("BENCH "):
            figure = json.loads(line.removeprefix("BENCH "))
            figure["script"] = script
            figures.append(figure)
        else:
            print(line, end="", flush=True)
    return figures, process.wait(), time.perf_counter() - start


def render_and_seal(figures: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Render + seal of one certificate against ReportLab page + pyHanko signature."""
    by_key = {figure.get("key"): figure for figure in figures}
    render, seal = by_key.get("render"), by_key.get("seal")
    if render is None or seal is None:
        return None
    value = render["value"] + seal["value"]
    baseline = render["baseline"] + seal["baseline"]
    ratio = value / baseline
    return {
        "name": "Rendu + scellement d'un certificat",
        "value": round(value, 1),
        "unit": render["unit"],
        "baseline": round(baseline, 1),
        "ratio": round(ratio, 2),
        "target": f"≤ {RENDER_SEAL_TARGET}× (page ReportLab + signature pyHanko nues)",
        "met": ratio <= RENDER_SEAL_TARGET,
        "script": "bench_render.py + bench_seal.py",
    }


def table(figures: list[dict[str, Any]]) -> str:
    header = ("mesure", "valeur", "référence (même exécution)", "rapport", "objectif", "")
    rows = [header]
    for f in figures:
        note = f" ({f['note']})" if f.get("note") else ""
        rows.append(
            (
                f["name"],
                f"{f['value']:g} {f['unit']}{note}",
                f"{f['baseline']:g} {f['unit']}",
                f"{f['ratio']:.2f}×",
                f["target"],
                "atteint" if f["met"] else "MANQUÉ",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    figures: list[dict[str, Any]] = []
    failed = []
    began = time.perf_counter()
    for script in BENCHMARKS:
        print(f"\n=== {script} ===", flush=True)
        found, status, took = run(script)
        print(f"({script} : {took:.0f} s)", flush=True)
        figures.extend(found)
        if not found:
            failed.append(script)
        elif status != 0 and all(f["met"] for f in found):
            failed.append(script)  # an error after its figures
    combined = render_and_seal(figures)
    if combined is not None:
        figures.insert(0, combined)
    print(f"\nTous les bancs d'essai ({time.perf_counter() - began:.0f} s) :\n")
    print(table(figures))
    for script in failed:
        print(f"{script} n'a pas donné ses mesures : voir sa sortie plus haut.")
    missed = [f for f in figures if not f["met"]]
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
