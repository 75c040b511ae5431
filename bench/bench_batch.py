"""make bench: the month-start batch, certificates per second, against bare ReportLab pages
made by the same worker processes in the same run.

N dossiers (10,000 by default), each with its certificate of March 2026 entered or
certified on paper and no PDF yet, 500 dossiers per organisation, each organisation with
its logo. Then, with two worker processes, as on the production machine (two cores):

- baseline: pages drawn directly with ReportLab (``baseline_pdf`` of bench_render.py: no
  template, no database, nothing stored), pages per second. A sample (1,000 pages by
  default, ``--pages``): at about 50 ms a page, 10,000 would take four minutes on their
  own. Half of it is made before the batch and half after, so that the load of the rest
  of the machine weighs on both figures alike;
- ours: the month's batch: ``batch.missing`` cut by ``batch.chunks``, each chunk given to
  ``certificates.tasks.generate_pdf_chunk`` (read the certificates, render each PDF with
  Typst, store it as version 1 with its audit event), certificates per second.

The workers are a ``ProcessPoolExecutor`` whose processes call the Celery task's function,
or, when ``BENCH_BROKER_URL`` names a Redis database (``redis://127.0.0.1:6379/13``), a
real ``celery -A realisa worker -c 2`` taking the chunks that ``tasks.queue_month`` queues.
Targets: at least 100 certificates per second, and at least 1.5 times the ReportLab pages
per second (the national batch of 30,000: ``--dossiers 30000`` on PostgreSQL with
``BENCH_BROKER_URL``); exit status 1 when one is missed, or when a certificate did not get
exactly one PDF. Temporary database (SQLite, or a database of
its own on the PostgreSQL server that ``BENCH_DATABASE_URL`` names) and storage.

Run: ``.venv/bin/python bench/bench_batch.py [--dossiers 10000] [--workers 2] [--pages 1000]``
(about two and a half minutes here). The last line is the figure as ``BENCH {json}``.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import cache
from typing import Any

from bench_render import baseline_pdf
from celery import shared_task
from celery.signals import worker_process_init
from common import ROOT, bench_line, setup_django, temporary_database

TARGET = 100.0  # certificates per second
TARGET_RATIO = 1.5  # at national scale: certificates per bare ReportLab page of the same run
MONTH = date(2026, 3, 1)
PER_ORGANISATION = 500
BASELINE_CHUNK = 5  # pages: short tasks, so that no process waits long for the other
BULK = 5000
TITLES = [
    "Titre professionnel Développeur web et web mobile",
    "BTS Gestion de la PME",
    "CAP Électricien",
    "Titre professionnel Secrétaire assistant",
]


def seed(count: int) -> None:
    """``count`` dossiers, each with its certificate of ``MONTH`` and no PDF."""
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from realisa.certificates.models import Certificate
    from realisa.choices import ActionNature, CertificationMethod, Civility, MonthStatus
    from realisa.demo.files import logo_png
    from realisa.demo.world import siret
    from realisa.dossiers.models import Beneficiary, Dossier, Employer
    from realisa.organisations.models import Organisation

    now = timezone.now()
    with transaction.atomic():
        organisations = []
        for index in range(-(-count // PER_ORGANISATION)):
            organisation = Organisation(
                name=f"Organisme de formation {index + 1}",
                siret=siret(f"7{index:07d}"),
                nda=f"4467{index:07d}",
                address=f"{index + 1} rue du Faubourg National",
                postal_code="67000",
                city="Strasbourg",
                legal_representative="Sophie Lambert",
                legal_representative_title="Directrice",
            )
            logo = logo_png(f"O{index % 10}", "#1d3a8a")
            organisation.logo.save("logo.png", ContentFile(logo), save=False)
            organisation.save()
            organisations.append(organisation)
        employer = Employer.objects.create(name="Transports Lorrains SA")
        beneficiaries = Beneficiary.objects.bulk_create(
            (
                Beneficiary(civility=Civility.MME, first_name="Julie", last_name=f"Martin-{n}")
                for n in range(count)
            ),
            batch_size=BULK,
        )
        dossiers = Dossier.objects.bulk_create(
            (
                Dossier(
                    number=f"BB-2026-{n:06d}",
                    organisation=organisations[n // PER_ORGANISATION],
                    beneficiary=beneficiary,
                    employer=employer if n % 3 else None,
                    training_title=TITLES[n % len(TITLES)],
                    action_nature=ActionNature.TRAINING,
                    start_date=date(2026, 1, 12),
                    end_date=date(2026, 6, 19),
                )
                for n, beneficiary in enumerate(beneficiaries)
            ),
            batch_size=BULK,
        )
        Certificate.objects.bulk_create(
            (
                Certificate(
                    dossier=dossier,
                    month=MONTH,
                    centre_minutes=9240 - 60 * (n % 8),
                    absence_minutes=60 * (n % 8),
                    status=MonthStatus.CERTIFIED if n % 2 else MonthStatus.ENTERED,
                    entered_at=now,
                    certifies_entry=True,
                    certification_method=CertificationMethod.PAPER if n % 2 else "",
                    certified_at=now if n % 2 else None,
                )
                for n, dossier in enumerate(dossiers)
            ),
            batch_size=BULK,
        )


@cache
def prototype() -> Any:
    """The data of one certificate, built without the database: the baseline's page."""
    from realisa.choices import ActionNature
    from realisa.demo.files import logo_png
    from realisa.documents.data import ActionBox, CertificateData

    return CertificateData(
        reference="RC-0000-0000-0000",
        version=1,
        issued_on="2 avril 2026",
        place="Strasbourg",
        funder_name="Transitions Pro Grand Est",
        dossier_number="BB-2026-000000",
        month="mars 2026",
        organisation_name="Organisme de formation 1",
        organisation_address="1 rue du Faubourg National, 67000 Strasbourg",
        organisation_siret="70000000000000",
        organisation_nda="44670000000",
        legal_representative="Sophie Lambert",
        legal_representative_title="Directrice",
        beneficiary="Mme Julie MARTIN-0",
        employer="Transports Lorrains SA",
        training_title=TITLES[0],
        natures=tuple(
            ActionBox(label, value == ActionNature.TRAINING)
            for value, label in ActionNature.choices
        ),
        first_day="1er mars 2026",
        last_day="31 mars 2026",
        duration="154 heures",
        centre="154 h",
        internship="0 h",
        absence="0 h",
        presence="154 h",
        verification_url="https://portail.example.org/documents/verifier/RC-0000-0000-0000/",
        logo=logo_png("O0", "#1d3a8a"),
    )


def baseline_pages(numbers: list[int]) -> int:
    """The baseline's chunk: one bare ReportLab page per number, each with its own
    reference (and so its own QR code)."""
    data = prototype()
    for n in numbers:
        reference = f"RC-{n // 10000:04d}-{n % 10000:04d}-BASE"
        baseline_pdf(
            dataclasses.replace(
                data,
                reference=reference,
                dossier_number=f"BB-2026-{n:06d}",
                verification_url=data.verification_url.replace(data.reference, reference),
            )
        )
    return len(numbers)


def certificates(ids: list[int]) -> int:
    """Our chunk: exactly what the Celery task of the batch runs."""
    from realisa.certificates.tasks import generate_pdf_chunk

    made: int = generate_pdf_chunk(ids)
    return made


def warm_up(*_args: Any, **_kwargs: Any) -> None:
    """A worker's first page of each kind, before the clock: fonts loaded, URLs known, as
    in a worker that has been up since before the 1st of the month."""
    from realisa.documents.data import verification_url
    from realisa.documents.render import render_certificate

    verification_url(prototype().reference)
    render_certificate(prototype())
    baseline_pdf(prototype())


def page_chunks(numbers: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(numbers), BASELINE_CHUNK):
        yield numbers[start : start + BASELINE_CHUNK]


@dataclasses.dataclass
class Times:
    baseline: float = 0.0  # seconds, both halves
    pages: int = 0
    ours: float = 0.0
    made: int = 0


# --- Workers: a pool of processes (the default) -------------------------------------------

_barrier: Any = None


def _pool_start(barrier: Any) -> None:
    global _barrier
    _barrier = barrier
    warm_up()


def _pool_ready() -> int:
    _barrier.wait(timeout=120)  # one such task per process: all of them started and warm
    return os.getpid()


def run_pool(pages: int, workers: int) -> Times:
    from django.db import connections

    from realisa.certificates import batch

    ids = batch.missing(MONTH)
    connections.close_all()  # the children open their own
    context = multiprocessing.get_context("fork")
    times = Times()
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_pool_start, initargs=(context.Barrier(workers),)
    ) as pool:
        for future in [pool.submit(_pool_ready) for _ in range(workers)]:
            future.result()

        def baseline(numbers: list[int]) -> None:
            start = time.perf_counter()
            times.pages += sum(pool.map(baseline_pages, page_chunks(numbers)))
            times.baseline += time.perf_counter() - start

        baseline(list(range(pages // 2)))
        start = time.perf_counter()
        times.made = sum(pool.map(certificates, batch.chunks(ids)))
        times.ours = time.perf_counter() - start
        baseline(list(range(pages // 2, pages)))
    return times


# --- Workers: a real Celery worker on Redis (BENCH_BROKER_URL) -----------------------------


@shared_task(name="bench.baseline_pages", ignore_result=True)
def baseline_task(numbers: list[int]) -> None:
    _redis().incrby(_counter(), baseline_pages(numbers))


@shared_task(name="bench.ping", ignore_result=True)
def ping_task() -> None:
    _redis().incr(_counter("ping"))


worker_process_init.connect(warm_up)  # in each process of the worker, as it starts


def _redis() -> Any:
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def _counter(what: str = "baseline") -> str:
    from django.conf import settings

    return f"{settings.CELERY_TASK_DEFAULT_QUEUE}:{what}"


def wait_for(condition: Callable[[], bool], every: float, seconds: float = 900) -> float:
    """Poll ``condition`` until true; the moment it was seen so (perf_counter)."""
    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("le worker Celery n'a pas fini à temps")
        time.sleep(every)
    return time.perf_counter()


def run_celery(pages: int, workers: int, folder_env: dict[str, str]) -> Times:
    from django.db import connections

    from realisa.certificates.tasks import queue_month
    from realisa.documents.models import CertificateVersion

    connections.close_all()
    redis = _redis()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "realisa",
            "worker",
            "--pool=prefork",
            f"--concurrency={workers}",
            "--include=bench_batch",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=os.environ | folder_env | {"PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"},
    )
    times = Times()

    def baseline(numbers: list[int]) -> None:
        start = time.perf_counter()
        for chunk in page_chunks(numbers):
            baseline_task.delay(chunk)
        target = times.pages + len(numbers)
        done = wait_for(lambda: int(redis.get(_counter()) or 0) >= target, every=0.02)
        times.baseline += done - start
        times.pages = target

    try:
        for _ in range(workers):
            ping_task.delay()
        wait_for(lambda: int(redis.get(_counter("ping")) or 0) >= workers, 0.1, 120)
        baseline(list(range(pages // 2)))
        made = CertificateVersion.objects.all()  # all of this month: a cheap count
        start = time.perf_counter()
        queued = queue_month(MONTH)
        # Every 0.1 s: each count takes the time of a query from the workers' two cores.
        times.ours = wait_for(lambda: made.count() >= queued, every=0.1) - start
        times.made = made.count()
        baseline(list(range(pages // 2, pages)))
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        queue = os.environ["CELERY_QUEUE"]  # of this run only: gone with its keys
        bindings = (f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        redis.delete(_counter(), _counter("ping"), queue, *bindings)
    return times


# --- The run --------------------------------------------------------------------------------


def check(count: int) -> list[str]:
    """What went wrong: each certificate of the month has exactly one PDF, the audit chain
    holds one event per PDF and is whole."""
    from django.db.models import Count

    from realisa.audit.log import first_broken_event
    from realisa.audit.models import AuditEvent
    from realisa.documents.models import CertificateVersion

    problems = []
    versions = CertificateVersion.objects.filter(certificate__month=MONTH)
    if versions.count() != count:
        problems.append(f"{versions.count()} PDF pour {count} certificats")
    twice = versions.values("certificate").annotate(n=Count("id")).filter(n__gt=1).count()
    if twice:
        problems.append(f"{twice} certificats ont plusieurs PDF")
    events = AuditEvent.objects.filter(action="certificate.pdf_generated").count()
    if events != count:
        problems.append(f"{events} événements d'audit pour {count} PDF")
    if first_broken_event() is not None:
        problems.append("la chaîne d'audit est rompue")
    return problems


def report(times: Times, workers: int, base: str) -> bool:
    baseline, ours = times.pages / times.baseline, times.made / times.ours
    ratio = ours / baseline
    rows = [
        ("ReportLab, pages nues (référence)", times.pages, baseline, times.baseline, 1.0),
        ("Lot du mois : certificats (generate_pdf_chunk)", times.made, ours, times.ours, ratio),
    ]
    print(f"| {'mesure':<48} | {'nombre':>6} | {'débit':>10} | {'durée':>8} | {'ratio':>6} |")
    print(f"|{'-' * 50}|{'-' * 8}|{'-' * 12}|{'-' * 10}|{'-' * 8}|")
    for label, number, rate, seconds, share in rows:
        print(
            f"| {label:<48} | {number:>6} | {rate:>8.1f}/s | {seconds:>6.1f} s | {share:>5.2f}× |"
        )
    met = ours >= TARGET and ratio >= TARGET_RATIO
    for goal, reached, figure in (
        (f"au moins {TARGET:.0f} certificats par seconde", ours >= TARGET, f"{ours:.1f}/s"),
        (f"au moins {TARGET_RATIO:g}× la référence", ratio >= TARGET_RATIO, f"{ratio:.2f}×"),
    ):
        print(f"Objectif : {goal} — {'atteint' if reached else 'NON atteint'} ({figure}).")
    bench_line(
        f"Lot de début de mois, {workers} processus : certificats par seconde",
        ours,
        "/s",
        baseline=baseline,
        ratio=ratio,
        target=f"≥ {TARGET:g} certificats par seconde et ≥ {TARGET_RATIO:g}× la référence",
        met=met,
        note=f"{times.made} en {times.ours:.0f} s, {base} ; référence : pages ReportLab nues",
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000, help="dossiers (10000)")
    parser.add_argument("--workers", type=int, default=2, help="processus de travail (2)")
    parser.add_argument("--pages", type=int, default=1000, help="pages de référence (1000)")
    args = parser.parse_args()
    broker = os.environ.get("BENCH_BROKER_URL", "")
    with tempfile.TemporaryDirectory(prefix="realisa-bench-batch-") as folder:
        celery = {"CELERY_BROKER_URL": broker, "CELERY_QUEUE": f"realisa-bench-{os.getpid()}"}
        os.environ.update(celery if broker else {"CELERY_BROKER_URL": ""})
        with temporary_database(folder) as database_url:
            setup_django(folder, database_url)
            from django.db import connection

            start = time.perf_counter()
            seed(args.dossiers)
            built = time.perf_counter() - start
            if broker:
                how = f"un worker Celery -c {args.workers} sur {broker}"
                times = run_celery(args.pages, args.workers, celery)
            else:
                how = f"un ProcessPoolExecutor de {args.workers} processus"
                times = run_pool(args.pages, args.workers)
            problems = check(args.dossiers)
            base = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(
        f"\nLot de début de mois : {args.dossiers} certificats de {MONTH:%m/%Y} sans PDF, "
        f"{how}, {base}\n(base préparée en {built:.1f} s ; pages de référence : la moitié "
        "avant le lot, la moitié après)\n"
    )
    for problem in problems:
        print(f"ERREUR : {problem}")
    met = report(times, args.workers, base)
    return 0 if met and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
