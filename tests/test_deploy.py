"""deploy/: the systemd units, the nginx site and the seal's PKCS#12 recipe, checked by the
tools that will run them (Debian's systemd-analyze, nginx and OpenSSL; CI installs nginx)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from realisa.demo.files import one_page_pdf
from realisa.documents.sealing import seal_pdf, verify_pdf

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def run(*command: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — the tools named here, on files written here
        command, capture_output=True, text=True, timeout=120, **kwargs
    )


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze")
def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """Their programs are those of this checkout's .venv, as /srv/realisa's would be."""
    assert [unit.name for unit in UNITS] == [
        "realisa-beat.service",
        "realisa-web.service",
        "realisa-worker.service",
    ]
    for unit in UNITS:
        text = unit.read_text().replace("/srv/realisa", str(ROOT))
        assert "User=realisa" in text and "EnvironmentFile=/etc/realisa/realisa.env" in text
        assert "StateDirectory=realisa" in text  # the data folder, /var/lib/realisa
        (tmp_path / unit.name).write_text(text)
    result = run("systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir()))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_one_beat_and_the_web_reads_gunicorn_conf() -> None:
    web = (DEPLOY / "realisa-web.service").read_text()
    assert "ExecStart=/srv/realisa/.venv/bin/gunicorn realisa.wsgi\n" in web
    assert (ROOT / "gunicorn.conf.py").exists()  # read from WorkingDirectory
    beats = [u.name for u in UNITS if "celery -A realisa beat" in u.read_text()]
    assert beats == ["realisa-beat.service"]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx (CI installs Debian's)")
def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    made = run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=realisa.example.org",
        "-keyout",
        str(key),
        "-out",
        str(certificate),
    )
    assert made.returncode == 0, made.stderr
    site = (DEPLOY / "nginx-realisa.conf").read_text()
    site = site.replace("/etc/ssl/realisa/fullchain.pem", str(certificate))
    site = site.replace("/etc/ssl/realisa/privkey.pem", str(key))
    (tmp_path / "realisa.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/realisa.conf;\n}}\n"
    )
    result = run("nginx", "-t", "-c", str(main), "-p", str(tmp_path), "-e", str(tmp_path / "e.log"))
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID"):
        assert f"proxy_set_header {header} " in site


def test_the_seal_recipe_makes_a_pkcs12_the_portal_seals_with(
    settings: Any, tmp_path: Path, own_seal: Path
) -> None:
    [recipe] = re.findall(r"```sh\n(.*?)```", (DEPLOY / "seal-certificate.md").read_text(), re.S)
    environment = {"PATH": "/usr/bin:/bin", "SIGNING_PKCS12_PASSPHRASE": "une phrase secrète"}
    made = run("bash", "-euo", "pipefail", "-c", recipe, cwd=tmp_path, env=environment)
    assert made.returncode == 0, made.stderr
    settings.SIGNING_PKCS12_FILE = str(tmp_path / "seal.p12")
    settings.SIGNING_PKCS12_PASSPHRASE = "une phrase secrète"
    sealed = seal_pdf(one_page_pdf("Essai"), appearance=None, reason="Essai", organisation="OF")
    assert "Réalisa, cachet du portail" in sealed.certificate_subject
    assert verify_pdf(sealed.pdf).ok
