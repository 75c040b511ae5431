"""Long-term seals: PAdES B-LT (loopback time-stamping authority, DSS) next to B-B.

Run: ``.venv/bin/python bench/bench_ltv.py [N]``. It seals the same PDF N times at B-B
(the embedded default: local key, DSS with the chain and the CA's CRL) and at B-LT (the
same, plus a time-stamp token from ``openssl ts`` behind a loopback HTTP server, and the
authority's chain in the DSS), in turns, and prints the medians and their ratio; the
target is B-LT at most 2× B-B in the same run.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import bench_line
from loopback_tsa import LoopbackTSA

TARGET_RATIO = 2.0


def main(count: int) -> int:
    with tempfile.TemporaryDirectory(prefix="realisa-bench-") as data_dir:
        _setup_django(data_dir)
        with LoopbackTSA(Path(data_dir) / "tsa") as tsa:
            medians = _measure(tsa, count)
    b_b, b_lt = medians["B-B"], medians["B-LT"]
    ratio = b_lt / b_b
    met = ratio <= TARGET_RATIO
    print(f"Scellement avec éléments de validation (DSS), {count} documents, médiane en ms")
    print(f"{'PAdES B-B (DSS : chaîne et CRL)':<45} {b_b:8.1f} ms  1.00×")
    print(f"{'PAdES B-LT (horodatage openssl ts local)':<45} {b_lt:8.1f} ms  {ratio:5.2f}×")
    print(f"objectif B-LT ≤ {TARGET_RATIO:g}× B-B : {'atteint' if met else 'MANQUÉ'}")
    bench_line(
        "Scellement PAdES B-LT (autorité d'horodatage locale), médiane",
        b_lt,
        "ms",
        baseline=b_b,
        ratio=ratio,
        target=f"≤ {TARGET_RATIO:g}× le sceau B-B avec DSS",
        met=met,
    )
    return 0 if met else 1


def _measure(tsa: LoopbackTSA, count: int) -> dict[str, float]:
    # Django is set up by main(): the portal's modules load only now.
    from django.conf import settings

    from realisa.demo.files import one_page_pdf
    from realisa.documents.sealing import seal_pdf

    pdf = one_page_pdf("Certificat de realisation - banc d'essai LTV")

    def seal(url: str) -> Callable[[], None]:
        def job() -> None:
            settings.SIGNING_TSA_URL = url
            seal_pdf(pdf, appearance=None, reason="Banc", organisation="FE")

        return job

    settings.SIGNING_TSA_ROOTS_FILE = str(tsa.roots_file)
    settings.SIGNING_PADES_LTA = False  # B-LT: one time-stamp, as B-T, and the DSS
    return _medians({"B-B": seal(""), "B-LT": seal(tsa.url)}, count)


def _setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realisa.settings")
    os.environ["REALISA_DATA_DIR"] = data_dir
    os.environ["LOG_LEVEL"] = "WARNING"
    for name in ("SIGNING_PKCS12_FILE", "SIGNING_TSA_URL", "SIGNING_CRL_FILE"):
        os.environ.pop(name, None)  # the embedded default: local key and CRL
    import django  # only once the environment above is set

    django.setup()


def _medians(jobs: dict[str, Callable[[], None]], count: int) -> dict[str, float]:
    """Median milliseconds per job; the jobs take turns, so a busy machine slows all alike."""
    timings: dict[str, list[float]] = {label: [] for label in jobs}
    for job in jobs.values():
        job()  # warm-up: the first seal measures the signature size, once per authority
    for _ in range(count):
        for label, job in jobs.items():
            start = time.perf_counter()
            job()
            timings[label].append((time.perf_counter() - start) * 1000)
    return {label: statistics.median(values) for label, values in timings.items()}


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
