"""Sealing benchmark: the portal's seal next to a bare pyHanko signature, in the same run.

Run: ``.venv/bin/python bench/bench_seal.py [N]``. It prints one row per measure (median
milliseconds over N documents) and the ratio; the target is at most 1.5×.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import bench_line

TARGET_RATIO = 1.5


def main(count: int) -> int:
    with tempfile.TemporaryDirectory(prefix="realisa-bench-") as data_dir:
        _setup_django(data_dir)
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers

        from realisa.demo.files import one_page_pdf, stamp_png
        from realisa.documents import sealing
        from realisa.documents.sealing_keys import seal_keys

        pdf = one_page_pdf("Certificat de realisation - banc d'essai")
        signer = seal_keys().signer  # the same key, parsed once, for both measures
        look = sealing.SealAppearance("Marie Dupont", "Formapro Est", stamp_png("FE", "Metz"))

        def bare() -> None:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            meta = signers.PdfSignatureMetadata(field_name="Signature")
            signers.sign_pdf(writer, meta, signer=signer)

        def naive() -> None:  # what the seal avoids: the PKCS#12 parsed for every document
            p12 = seal_keys().pkcs12_path.read_bytes()
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            meta = signers.PdfSignatureMetadata(field_name="Signature")
            signers.sign_pdf(writer, meta, signer=signers.SimpleSigner.load_pkcs12_data(p12, ()))

        def seal(appearance: sealing.SealAppearance | None) -> Callable[[], None]:
            return lambda: _ignore(
                sealing.seal_pdf(pdf, appearance=appearance, reason="Banc", organisation="FE")
            )

        jobs = {
            "pyHanko nu (SimpleSigner préchargé, sans apparence)": bare,
            "sceau Réalisa, sans apparence": seal(None),
            "sceau Réalisa, avec cachet et texte": seal(look),
            "pour mémoire : pyHanko, PKCS#12 relu à chaque document": naive,
        }
        rows = list(_medians(jobs, count).items())
    baseline = rows[0][1]
    print(f"Scellement PAdES B-B, {count} documents, médiane en ms")
    for label, median in rows:
        print(f"{label:<55} {median:8.1f} ms  {median / baseline:5.2f}×")
    worst = max(median for _label, median in rows[1:3]) / baseline
    verdict = "atteint" if worst <= TARGET_RATIO else "MANQUÉ"
    print(f"objectif ≤ {TARGET_RATIO}× le pyHanko nu : {verdict} ({worst:.2f}×)")
    naive = rows[3][1]
    for (label, median), key in zip(rows[1:3], (None, "seal"), strict=True):
        bench_line(
            f"Scellement PAdES B-B, {label.removeprefix('sceau Réalisa, ')}, médiane",
            median,
            "ms",
            baseline=baseline,
            ratio=median / baseline,
            target=f"≤ {TARGET_RATIO:g}× la signature pyHanko nue",
            met=median / baseline <= TARGET_RATIO,
            note=None if key else f"pyHanko, PKCS#12 relu à chaque document : {naive:.0f} ms",
            key=key,
        )
    return 0 if worst <= TARGET_RATIO else 1


def _setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realisa.settings")
    os.environ["REALISA_DATA_DIR"] = data_dir
    for name in ("SIGNING_PKCS12_FILE", "SIGNING_TSA_URL"):
        os.environ.pop(name, None)  # the embedded default: local key, B-B
    import django

    django.setup()


def _medians(jobs: dict[str, Callable[[], None]], count: int) -> dict[str, float]:
    """Median milliseconds per job; the jobs take turns, so a busy machine slows all alike."""
    timings: dict[str, list[float]] = {label: [] for label in jobs}
    for job in jobs.values():
        job()  # warm-up: the first seal measures the signature size, once
    for _ in range(count):
        for label, job in jobs.items():
            start = time.perf_counter()
            job()
            timings[label].append((time.perf_counter() - start) * 1000)
    return {label: statistics.median(values) for label, values in timings.items()}


def _ignore(_value: object) -> None:
    return None


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
