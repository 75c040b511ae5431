"""make bench: the dashboard's CSV export of 100,000 transmitted months, against a bare
csv.writer over the same query, in the same run.

- ours: the ``funder:export`` view (status « Transmis »), its StreamingHttpResponse read to
  the end, as a client would: each row's status read from the months' summary
  (``certificates.month_summary``), hours with a decimal comma, dates in Paris time;
- baseline: the same query (``month_overview.month_values``) iterated, each tuple written
  as it comes by a bare ``csv.writer``.

Memory: the peak traced by ``tracemalloc`` over the first 10 % of the rows and over all of
them; a streamed export keeps the two close (flat), whereas a list would grow tenfold.
Targets: time at most 2× the baseline, whole-run peak at most 1.5× the 10 % peak. Exit
status 1 when one is missed. Runs on a temporary SQLite database, never on the project's.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from common import bench_line, setup_django

TARGET_RATIO = 2.0
FLAT_RATIO = 1.5
MONTH = date(2026, 3, 1)
REPEAT = 3


def make_months(count: int) -> None:
    """``count`` dossiers, each with March 2026 certified on paper and transmitted."""
    from realisa.certificates.models import Certificate
    from realisa.certificates.month_summary import refresh
    from realisa.choices import CertificationMethod, Civility, MonthStatus
    from realisa.demo.world import siret
    from realisa.dossiers.models import Beneficiary, Dossier
    from realisa.organisations.models import Organisation

    organisation = Organisation.objects.create(name="Formapro Est", siret=siret("41234567"))
    beneficiary = Beneficiary.objects.create(
        civility=Civility.MME, first_name="Julie", last_name="Martin"
    )
    moment = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)
    batch = 5000
    for first in range(0, count, batch):
        dossiers = Dossier.objects.bulk_create(
            Dossier(
                number=f"B-{n:06d}",
                organisation=organisation,
                beneficiary=beneficiary,
                training_title="Titre professionnel",
                start_date=date(2026, 1, 12),
                end_date=date(2026, 6, 19),
            )
            for n in range(first, min(first + batch, count))
        )
        Certificate.objects.bulk_create(
            Certificate(
                dossier=d,
                month=MONTH,
                centre_minutes=8430,
                absence_minutes=90,
                status=MonthStatus.TRANSMITTED,
                certification_method=CertificationMethod.PAPER,
                certified_at=moment,
                transmitted_at=moment,
            )
            for d in dossiers
        )
        refresh(d.pk for d in dossiers)  # the months' summary: bulk inserts send no signal


class Sink:
    """Counts what is written, keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> None:
        self.size += len(text)


def ours_chunks() -> Iterable[Any]:
    from django.test import RequestFactory

    from realisa.accounts.models import User
    from realisa.funder.dashboard_views import export

    agent, _ = User.objects.get_or_create(username="bench-agent", defaults={"role": "agent"})
    request = RequestFactory().get("/", {"mois": "2026-03", "statut": "transmitted"})
    request.user = agent
    return export(request).streaming_content  # type: ignore[no-any-return]


def run_ours(checkpoint: int | None = None) -> tuple[int, int]:
    """Read the export to the end, or to about ``checkpoint`` rows: (bytes, rows)."""
    size = rows = 0
    for chunk in ours_chunks():
        size += len(chunk)
        rows += chunk.count(b"\n")
        if checkpoint is not None and rows >= checkpoint:
            break
    return size, rows


def run_baseline() -> tuple[int, int]:
    from django.utils import timezone

    from realisa.funder.month_overview import month_dossiers, month_values

    sink = Sink()
    writer = csv.writer(sink, delimiter=";", lineterminator="\r\n")
    rows = 0
    transmitted = month_dossiers(MONTH, timezone.localdate()).filter(status="transmitted")
    for values in month_values(transmitted).iterator(chunk_size=2000):
        writer.writerow(values.values())
        rows += 1
    return sink.size, rows


def timed(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def traced_peak(action: Any) -> int:
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="transmitted months (100000)")
    count = parser.parse_args().n
    with tempfile.TemporaryDirectory(prefix="realisa-bench-export-") as folder:
        setup_django(folder)
        build, _ = timed(lambda: make_months(count))
        run_baseline(), run_ours()  # warm-up: query plans, imports
        # Alternate the two, keep the best of each: the machine's other load cancels out.
        baselines, ourses = [], []
        for _ in range(REPEAT):
            baselines.append(timed(run_baseline))
            ourses.append(timed(run_ours))
        baseline, (base_size, base_rows) = min(baselines, key=lambda item: item[0])
        ours, (size, rows) = min(ourses, key=lambda item: item[0])
        early = traced_peak(lambda: run_ours(checkpoint=max(count // 10, 1)))
        whole = traced_peak(run_ours)
    ratio = ours / baseline
    flat = whole / early
    print(f"Export CSV de {count} mois transmis (base préparée en {build:.1f} s)")
    print(f"  csv.writer nu, même requête : {baseline:.2f} s ({base_rows} lignes, {base_size} o)")
    print(f"  export du tableau de bord   : {ours:.2f} s ({rows - 1} lignes, {size} o)")
    print(f"  rapport                     : {ratio:.2f}× (objectif ≤ {TARGET_RATIO}×)")
    print(
        f"  mémoire (pic tracemalloc)   : {early / 1e6:.1f} Mo sur 10 % des lignes, "
        f"{whole / 1e6:.1f} Mo sur toutes ({flat:.2f}×, objectif ≤ {FLAT_RATIO}×)"
    )
    bench_line(
        f"Export CSV de {count} mois transmis",
        ours,
        "s",
        baseline=baseline,
        ratio=ratio,
        target=f"≤ {TARGET_RATIO:g}× un csv.writer nu sur la même requête",
        met=ratio <= TARGET_RATIO,
    )
    bench_line(
        "Export CSV : pic de mémoire sur toutes les lignes",
        whole / 1e6,
        "Mo",
        baseline=early / 1e6,
        ratio=flat,
        target=f"≤ {FLAT_RATIO:g}× le pic sur 10 % des lignes",
        met=flat <= FLAT_RATIO,
    )
    return 0 if ratio <= TARGET_RATIO and flat <= FLAT_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
