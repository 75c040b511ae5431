"""make bench: « Certifier en lot » and « Importer des heures », against bare baselines.

1. « Certification en lot de 50 mois en ligne »: 50 months entered by a member of an
   online-ready organisation, then ``open_batch`` + ``request_batch_code`` +
   ``confirm_batch`` timed end to end, the 50 lines certified inline (``RUN_AT_ONCE``
   raised): each month certified, rendered, its full evidence and its certificate sealed
   (two PAdES B-B seals a month) and stored, then the manifest sealed. Baseline: 50 × (the
   bare ReportLab page of ``bench_render`` + a bare pyHanko ``sign_pdf`` of it, same signer,
   PAdES B-B), half before the batch and half after. Target ≤ 1.5×.
2. « Import d'un CSV journalier de 1 000 lignes »: 45 dossiers × the 22 working days of March
   2026 (990 lines), ``hours_import.run`` previewed then committed (45 months entered, each
   with its PDF). Baseline: ``csv.reader`` over the same bytes (median of 11). No target.

Clock at 2 April 2026 (March open); temporary database, storage and seal key; e-mails are
queued, never sent. Run: ``.venv/bin/python bench/bench_batch_certification.py [--months
50] [--dossiers 45]`` (about 25 s here).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from bench_render import baseline_pdf, make_dossiers
from common import bench_line, setup_django, temporary_database

TARGET_RATIO = 1.5
MONTH = date(2026, 3, 1)
CLOCK = datetime(2026, 4, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # March is open
HOUR = 60
SEALED = "realisa.documents.sealed"
BATCH_PARTS = [  # (module, function, label): where confirm_batch's time goes
    (SEALED, "render_next", "rendu du certificat et de sa page de preuve (Typst)"),
    (SEALED, "evidence_page", "dossier de preuve complet, manifeste (Typst)"),
    (SEALED, "seal_pdf", "sceaux PAdES B-B (preuve complète, certificat, manifeste)"),
    (SEALED, "store_version", "stockage (versions, preuves)"),
    (SEALED, "_store_evidence", "stockage (versions, preuves)"),
]
IMPORT_PARTS = [("realisa.certificates.entry", "generate_version", "rendu et stockage des PDF")]


class Stopwatch:
    """Seconds and calls per label, of the functions ``patched`` wraps."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, original: Callable[..., Any], label: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1

        return timed

    @contextmanager
    def patched(self, parts: list[tuple[str, str, str]]) -> Iterator[Stopwatch]:
        with ExitStack() as stack:
            for module, name, label in parts:
                target = sys.modules[module]
                wrapper = self.wrap(getattr(target, name), label)
                stack.enter_context(mock.patch.object(target, name, wrapper))
            yield self


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def check(condition: bool, problem: str) -> None:
    if not condition:
        raise RuntimeError(problem)


# --- The data -------------------------------------------------------------------------------


def make_online_ready(organisation: Any) -> None:
    """Certifier, both documents conformes, a stamp (tests/online/conftest.py's way)."""
    # after django.setup(): the models need the app registry
    from django.core.files.base import ContentFile

    from realisa.choices import ReviewStatus
    from realisa.demo.files import stamp_png
    from realisa.organisations.models import CertifierDocument

    organisation.is_certifier = True
    organisation.stamp.save("cachet.png", ContentFile(stamp_png("FORMAPRO", "Metz")), save=True)
    for kind in CertifierDocument.Kind.values:
        document = CertifierDocument(
            organisation=organisation, kind=kind, review_status=ReviewStatus.COMPLIANT
        )
        document.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4"), save=True)


def certifier(organisation: Any) -> Any:
    """A member with « certification des certificats de réalisation » ticked."""
    # after django.setup(): the models need the app registry
    from realisa.accounts.models import User
    from realisa.choices import Role

    return User.objects.create_user(
        "marie.dupont",
        email="marie.dupont@formapro.localhost",
        first_name="Marie",
        last_name="Dupont",
        role=Role.OF_USER,
        organisation=organisation,
        can_certify=True,
    )


def enter_march(dossiers: list[Any], user: Any) -> list[Any]:
    """Each dossier's March entered by ``user``, both boxes ticked (its PDF made)."""
    # after django.setup(): the models need the app registry
    from realisa.certificates.entry import HoursEntry, enter_hours
    from realisa.certificates.rules import Hours

    hours = Hours(centre=140 * HOUR, internship=7 * HOUR, absence=7 * HOUR)
    entry = HoursEntry(
        hours=hours, certifies_entry=True, accepts_ip_use=True, gap_reason="Pas de calendrier"
    )
    return [
        enter_hours(d, MONTH, actor=user, entry=entry, expected_version=0).certificate
        for d in dossiers
    ]


# --- 1. « Certifier en lot » ------------------------------------------------------------------


@dataclass
class BatchTimes:
    steps: dict[str, float] = field(default_factory=dict)
    page: float = 0.0  # the baseline's ReportLab pages, seconds
    signature: float = 0.0  # the baseline's pyHanko signatures
    parts: Stopwatch = field(default_factory=Stopwatch)


def bare_seal(pdf: bytes, signer: Any) -> bytes:
    """pyHanko's ``sign_pdf`` as its documentation shows it, at the seal's level: PAdES
    B-B, SHA-256, no time-stamp, no appearance."""
    # pyHanko is imported with Django's settings in place, as the portal's seal is
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="Signature", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    out: io.BytesIO = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer
    )
    return out.getvalue()


def baseline(times: BatchTimes, pages: list[Any], signer: Any) -> None:
    for data in pages:
        took, pdf = timed(lambda data=data: baseline_pdf(data))
        times.page += took
        times.signature += timed(lambda pdf=pdf: bare_seal(pdf, signer))[0]


def warm_up(signer: Any, data: Any) -> None:
    """What a process that has served before has: the key loaded, the seal's room measured,
    the templates compiled once."""
    # after django.setup(): the portal's modules read the settings
    from realisa.demo.files import one_page_pdf
    from realisa.documents import sealed, sealing

    bare_seal(baseline_pdf(data), signer)
    sealing.seal_pdf(one_page_pdf("Banc"), appearance=None, reason="Banc", organisation="FE")
    sealed.evidence_page({"document": {"reference": "Banc"}}, sealed.shared_page())


def certify_in_one_batch(user: Any, ids: list[int], times: BatchTimes) -> Any:
    """open_batch + request_batch_code + confirm_batch, each step timed."""
    # after django.setup(): the models need the app registry
    from realisa.certificates import batch_certification as batches

    batches.RUN_AT_ONCE = 10_000  # every line certified inline, in the measured call
    took, batch = timed(lambda: batches.open_batch(user, ids))
    times.steps["open_batch (récapitulatif des mois)"] = took
    took, issued = timed(lambda: batches.request_batch_code(batch, actor=user, request=None))
    times.steps["request_batch_code (code envoyé)"] = took
    with times.parts.patched(BATCH_PARTS):
        took, batch = timed(
            lambda: batches.confirm_batch(batch, issued.code, actor=user, request=None)
        )
    times.steps["confirm_batch (code vérifié, mois certifiés et scellés)"] = took
    return batch


def measure_batch(user: Any, dossiers: list[Any]) -> BatchTimes:
    # after django.setup(): the models need the app registry
    from realisa.certificates.models import BatchLine, Certificate, CertificationBatch
    from realisa.choices import CertificationMethod, MonthStatus
    from realisa.documents.data import certificate_data
    from realisa.documents.sealing_keys import seal_keys
    from realisa.documents.services import new_reference

    certificates = enter_march(dossiers, user)
    ids = [c.pk for c in certificates]
    issued_on = CLOCK.date()
    pages = [certificate_data(c, reference=new_reference(), version=2, issued_on=issued_on)
             for c in certificates]  # fmt: skip
    signer, times, half = seal_keys().signer, BatchTimes(), len(pages) // 2
    warm_up(signer, pages[0])
    baseline(times, pages[:half], signer)
    batch = certify_in_one_batch(user, ids, times)
    baseline(times, pages[half:], signer)
    batch = CertificationBatch.objects.get(pk=batch.pk)
    check(batch.state == CertificationBatch.State.DONE, f"lot {batch.state}")
    lines = batch.lines.filter(outcome=BatchLine.Outcome.CERTIFIED).count()
    check(lines == len(ids), f"{lines} lignes certifiées sur {len(ids)}")
    online = Certificate.objects.filter(
        pk__in=ids, status=MonthStatus.CERTIFIED, certification_method=CertificationMethod.ONLINE
    )
    check(online.count() == len(ids), f"{online.count()} mois certifiés sur {len(ids)}")
    return times


def report_batch(times: BatchTimes, count: int) -> bool:
    total, base = sum(times.steps.values()), times.page + times.signature
    ratio = total / base
    confirm = list(times.steps.values())[-1]
    parts = {label: times.parts.seconds[label] for _module, _name, label in BATCH_PARTS}
    parts["le reste (verrous, cycle de vie, journal, droits, e-mails)"] = confirm - sum(
        parts.values()
    )
    seals = times.parts.calls["sceaux PAdES B-B (preuve complète, certificat, manifeste)"]
    print(f"\nCertification en lot de {count} mois en ligne ({seals} sceaux)\n")
    print(f"| {'étape':<68} | {'durée':>8} | {'par mois':>9} |")
    print(f"|{'-' * 70}|{'-' * 10}|{'-' * 11}|")
    rows = [*times.steps.items(), *((f"  dont {k}", v) for k, v in parts.items())]
    rows += [("total", total), ("référence : page ReportLab + signature pyHanko nues", base)]
    rows += [("  dont pages ReportLab", times.page), ("  dont signatures pyHanko", times.signature)]
    for label, seconds in rows:
        print(f"| {label:<68} | {seconds:>6.2f} s | {seconds / count * 1000:>6.1f} ms |")
    met = ratio <= TARGET_RATIO
    print(f"\nObjectif ≤ {TARGET_RATIO:g}× la référence : {'atteint' if met else 'MANQUÉ'} "
          f"({ratio:.2f}×).")  # fmt: skip
    bench_line(
        f"Certification en lot de {count} mois en ligne",
        total,
        "s",
        baseline=base,
        ratio=ratio,
        target=f"≤ {TARGET_RATIO:g}× ({count} × page ReportLab + signature pyHanko nues)",
        met=met,
        note=f"{total:.1f} s de bout en bout, {total / count * 1000:.0f} ms par mois ; le "
        f"portail scelle deux PDF par mois (preuve complète et certificat) : {seals} sceaux",
    )
    return met


# --- 2. « Importer des heures » ---------------------------------------------------------------


def daily_csv(numbers: list[str]) -> bytes:
    """One line per dossier and working day of March 2026: mostly 7 h in the centre, a day
    a week in the company, now and then half a day absent."""
    days = [MONTH + timedelta(n) for n in range(31)]
    lines = ["dossier;date;centre;stage;absence"]
    for n, number in enumerate(numbers):
        for i, day in enumerate(d for d in days if d.weekday() < 5):
            hours = "7;0;0" if day.weekday() < 4 else "0;7;0"
            hours = "3h30;;3,5" if (n + i) % 9 == 0 else hours
            lines.append(f"{number};{day:%d/%m/%Y};{hours}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def csv_pass(content: bytes) -> int:
    """The baseline: decode the bytes and iterate over their rows with ``csv.reader``."""
    return sum(1 for _row in csv.reader(io.StringIO(content.decode("utf-8")), delimiter=";"))


def measure_import(user: Any, dossiers: list[Any]) -> tuple[dict[str, float], Stopwatch, int]:
    # after django.setup(): the models need the app registry
    from realisa.certificates.hours_import import Boxes, run
    from realisa.certificates.models import Certificate
    from realisa.choices import MonthStatus

    content = daily_csv([d.number for d in dossiers])
    lines = csv_pass(content) - 1
    reference = statistics.median(timed(lambda: csv_pass(content))[0] for _ in range(11))
    took, preview = timed(lambda: run(content, actor=user, commit=False))
    check(not preview.is_refused, f"aperçu refusé : {preview.errors} {preview.summary}")
    steps = {"aperçu (run, commit=False)": took}
    with Stopwatch().patched(IMPORT_PARTS) as parts:
        took, done = timed(lambda: run(content, actor=user, commit=True, boxes=Boxes(True, True)))
    check(done.imported, f"import refusé : {done.summary}")
    steps["import (run, commit=True)"] = took
    entered = Certificate.objects.filter(
        dossier__in=dossiers, month=MONTH, status=MonthStatus.ENTERED, has_pdf=True
    ).count()
    check(entered == len(dossiers), f"{entered} mois saisis sur {len(dossiers)}")
    steps["référence : csv.reader (décodage et lecture), médiane de 11"] = reference
    return steps, parts, lines


def report_import(steps: dict[str, float], parts: Stopwatch, lines: int, months: int) -> None:
    *ours, base = steps.values()
    total = sum(ours)
    pdf = "rendu et stockage des PDF"
    rows = [
        *list(steps.items())[:2],
        (f"  dont {pdf} ({parts.calls[pdf]} PDF, generate_version)", parts.seconds[pdf]),
        ("total : aperçu + import", total),
        list(steps.items())[2],
    ]
    print(f"\nImport d'un CSV journalier : {lines} lignes, {months} mois de dossiers\n")
    print(f"| {'étape':<62} | {'durée':>10} |")
    print(f"|{'-' * 64}|{'-' * 12}|")
    for label, seconds in rows:
        print(f"| {label:<62} | {seconds * 1000:>7.1f} ms |")
    print(f"\nRapport à la lecture CSV nue : {total / base:.0f}× (pour mémoire).")
    bench_line(
        "Import d'un CSV journalier de 1 000 lignes (aperçu + import)",
        total,
        "s",
        baseline=base,
        ratio=total / base,
        target="pour mémoire (référence : csv.reader nu)",
        met=True,
        note=f"{lines} lignes, {months} dossiers ; aperçu {ours[0]:.2f} s, import "
        f"{ours[1]:.2f} s dont {parts.seconds[pdf]:.2f} s pour les {parts.calls[pdf]} PDF",
    )


# --- The run --------------------------------------------------------------------------------


def local_seal_and_mail() -> None:
    """The embedded defaults: a seal key made in the data folder, PAdES B-B (no time-stamp
    authority), no demo; e-mails kept in memory."""
    for name in ("SIGNING_PKCS12_FILE", "SIGNING_TSA_URL", "REALISA_DEMO", "DEBUG"):
        os.environ.pop(name, None)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["CELERY_BROKER_URL"] = ""  # run_later queues in this process


def run(months: int, imported: int) -> bool:
    # after django.setup(): the settings and models need it
    from django.conf import settings

    from realisa.lib import background

    settings.BACKGROUND_THREAD = False  # e-mails wait in the queue: after the response
    with time_machine.travel(CLOCK, tick=True):
        dossiers = make_dossiers(months + imported)  # one organisation, its logo
        make_online_ready(dossiers[0].organisation)
        user = certifier(dossiers[0].organisation)
        batch_times = measure_batch(user, dossiers[:months])
        steps, parts, lines = measure_import(user, dossiers[months:])
    background.RUNNER.clear()
    met = report_batch(batch_times, months)
    report_import(steps, parts, lines, imported)
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=50, help="mois certifiés en lot (50)")
    parser.add_argument("--dossiers", type=int, default=45, help="dossiers importés (45)")
    args = parser.parse_args()
    local_seal_and_mail()
    with (
        tempfile.TemporaryDirectory(prefix="realisa-bench-lot-") as folder,
        temporary_database(folder) as database_url,
    ):
        setup_django(folder, database_url)
        met = run(args.months, args.dossiers)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
