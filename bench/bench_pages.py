"""make bench: « Mes dossiers » and a dossier's months, served by gunicorn under a bounded
local load (wrk, loopback, fixed duration), next to a minimal Django view served the same
way in the same run. Targets: at least 50 % of the minimal view's throughput, and a p99
under 100 ms, at 8 connections. Temporary SQLite database with the demo and 1,000
generated dossiers; never the project's data.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(folder: str, dossiers: int) -> str:
    """Migrate, seed, and return a session cookie of « of.user »."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from realisa.accounts.models import User
    from realisa.demo.scale import build_scale
    from realisa.demo.world import build_demo

    call_command("migrate", verbosity=0)
    build_demo()
    build_scale(dossiers, calendars=False)
    client = Client()
    client.force_login(User.objects.get(username="of.user"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def wrk(url: str, cookie: str, seconds: int) -> tuple[float, float]:
    """Requests per second and p99 latency (ms) of ``url``."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--dossiers", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk est introuvable : apt-get install wrk")
        return 1
    folder = tempfile.mkdtemp(prefix="realisa-bench-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "REALISA_DATA_DIR": folder,
            "DATABASE_URL": os.environ.get(
                "BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3"
            ),
            "SECRET_KEY": "bench-only",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    cookie = prepare(folder, args.dossiers)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/minimal/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        from django.utils import timezone

        number = f"FPE-{timezone.localdate().year}-0001"
        pages = {
            "vue Django minimale (référence)": "/bench/minimal/",
            "« Mes dossiers »": "/dossiers/",
            "les mois d'un dossier": f"/dossiers/{number}/certificats/",
        }
        results = {name: wrk(base + path, cookie, args.seconds) for name, path in pages.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    baseline = results["vue Django minimale (référence)"][0]
    print(
        f"\nPages servies par gunicorn (2 workers), wrk {CONNECTIONS} connexions, {args.seconds} s"
    )
    print(f"| {'page':<34} | {'req/s':>8} | {'p99':>9} | {'débit / réf.':>12} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 11}|{'-' * 14}|")
    missed = False
    for name, (rps, p99) in results.items():
        ratio = rps / baseline
        print(f"| {name:<34} | {rps:8.0f} | {p99:6.1f} ms | {ratio:11.0%} |")
        if name != "vue Django minimale (référence)" and (ratio < 0.5 or p99 > 100):
            missed = True
    print(
        "Objectifs : au moins 50 % du débit de la référence, p99 < 100 ms : "
        + ("manqué." if missed else "atteints.")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
