"""``realisa-verify``: a sealed certificate checked with nothing but the file and the
portal's root prints « valide »; a tampered copy, a QR payload signed by another key and
a certificat.json that disagrees with the page each print « invalide » with the reason."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from asn1crypto import pem
from django.conf import settings
from django.test import Client
from django.urls import reverse

from realisa.certificates.models import Certificate
from realisa.demo.world import build_demo
from realisa.documents import data as certificate_data
from realisa.documents.models import CertificationEvidence
from realisa.documents.sealing_keys import seal_keys
from realisa.documents.verify_cli import main
from tests.conftest import World
from tests.documents.archival.test_qr_payload import another_portal
from tests.documents.archival.test_verify_page import photo_of
from tests.online.test_sealed_versions import certify, pdf_of
from tests.servers import outside_environment

pytestmark = pytest.mark.django_db
DEMO_DAY = date(2026, 11, 27)  # the demo's own day (tests/test_demo.py)


def files(tmp_path: Path, pdf: bytes) -> tuple[str, str]:
    """The certificate and the portal's root, as an auditor receives them."""
    (tmp_path / "certificat.pdf").write_bytes(pdf)
    roots = b"".join(pem.armor("CERTIFICATE", c.dump()) for c in seal_keys().trust_roots)
    (tmp_path / "ca.pem").write_bytes(roots)
    return str(tmp_path / "certificat.pdf"), str(tmp_path / "ca.pem")


def verify(capsys: Any, *arguments: str) -> tuple[int, str]:
    code = main(list(arguments))
    return code, capsys.readouterr().out


def test_a_sealed_certificate_is_valid_offline(
    client: Client, ready: World, entered: Certificate, tmp_path: Path
) -> None:
    certified = certify(ready, entered)
    pdf, root = files(tmp_path, pdf_of(certified))
    served = client.get(reverse("seal_root"))  # the auditor's copy of the root, once
    assert served.content == Path(root).read_bytes()
    evidence = CertificationEvidence.objects.get(certificate=certified)
    (tmp_path / "preuve.pdf").write_bytes(evidence.file.read())
    script = Path(sys.executable).parent / "realisa-verify"

    run = subprocess.run(  # noqa: S603 — the installed script, outside the portal: no settings
        [script, pdf, "--racine", root, "--preuve", str(tmp_path / "preuve.pdf"), "--json"],
        capture_output=True,
        text=True,
        env=outside_environment(),
        cwd=tmp_path,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["verdict"] == "valide"
    assert {c["name"]: c["ok"] for c in report["controles"]} == {
        "sceau": True,
        "pdfa": True,
        "donnees": True,
        "qr": True,
        "preuve": True,
    }


def test_a_tampered_copy_is_invalid(
    ready: World, entered: Certificate, tmp_path: Path, capsys: Any
) -> None:
    pdf = bytearray(pdf_of(certify(ready, entered)))
    middle = pdf.index(b"/Contents", len(pdf) // 3)
    pdf[middle - 20] ^= 0x01  # one bit of the sealed bytes

    code, out = verify(capsys, *_arguments(files(tmp_path, bytes(pdf))))

    assert code == 1
    assert "Certificat invalide / Certificate invalid" in out


def test_a_qr_payload_signed_by_another_key_is_invalid(
    ready: World, entered: Certificate, tmp_path: Path, capsys: Any
) -> None:
    with mock.patch("realisa.documents.render.seal_keys", another_portal):
        certified = certify(ready, entered)  # sealed by the portal; its QR code is not

    code, out = verify(capsys, *_arguments(files(tmp_path, pdf_of(certified))))

    assert code == 1
    assert "[ok] Sceau valide" in out
    assert "Signature du code QR invalide pour ce certificat." in out
    assert "Certificat invalide" in out


def test_a_json_that_disagrees_with_the_page_is_invalid(
    ready: World, entered: Certificate, tmp_path: Path, capsys: Any
) -> None:
    honest = certificate_data.certificate_record

    def more_hours(*args: Any, **kwargs: Any) -> bytes:
        facts = json.loads(honest(*args, **kwargs))
        facts["heures_minutes"]["presence_centre"] += 600
        return json.dumps(facts).encode()

    with mock.patch.object(certificate_data, "certificate_record", more_hours):
        certified = certify(ready, entered)  # sealed, QR signed: the JSON lies about hours

    code, out = verify(capsys, *_arguments(files(tmp_path, pdf_of(certified))))

    assert code == 1
    assert "[ok] Sceau valide" in out
    centre = facts_centre(certified.centre_minutes + 600)
    assert f"certificat.json ne dit pas ce que dit la page (absent de la page : {centre})" in out


def facts_centre(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _arguments(paths: tuple[str, str]) -> list[str]:
    pdf, root = paths
    return [pdf, "--racine", root]


def test_the_crl_is_served_where_the_seal_certificate_says(client: Client, db: None) -> None:
    keys = seal_keys()
    points = keys.certificate.crl_distribution_points_value
    (url,) = [name.native for point in points for name in point["distribution_point"].chosen]

    served = client.get(url.removeprefix(settings.SITE_URL))

    assert served["Content-Type"] == "application/pkix-crl"
    assert served.content == keys.crls[0].dump()


def test_a_demo_certificate_prints_valide(tmp_path: Path, capsys: Any) -> None:
    build_demo(DEMO_DAY)
    september = Certificate.objects.get(
        dossier__number="FPE-2026-0001", month__month=9, month__year=2026
    )  # certified online by the demo's organisation, awaiting Julie's validation

    code, out = verify(capsys, *_arguments(files(tmp_path, pdf_of(september))))

    assert code == 0, out
    assert "[ok] Code QR signé par le sceau" in out
    assert out.endswith("Certificat valide / Certificate valid\n")


def test_a_photo_of_the_paper_is_enough_to_compare_the_hours(
    client: Client, ready: World, entered: Certificate, tmp_path: Path, capsys: Any
) -> None:
    certified = certify(ready, entered)
    _pdf, root = files(tmp_path, pdf_of(certified))
    (tmp_path / "photo.png").write_bytes(photo_of(pdf_of(certified), tmp_path))
    (tmp_path / "cachet.pem").write_bytes(client.get(reverse("seal_certificate")).content)
    photo = [str(tmp_path / "photo.png"), "--racine", root]

    code, out = verify(capsys, *photo, "--cachet", str(tmp_path / "cachet.pem"))

    assert code == 0, out
    hours = ", ".join(
        facts_centre(m)
        for m in (certified.centre_minutes, certified.internship_minutes, certified.absence_minutes)
    )
    assert f"centre, stage, absence : {hours}." in out
    assert out.endswith("Certificat valide / Certificate valid\n")


def test_a_photo_checked_with_another_portal_s_seal_is_invalid(
    ready: World, entered: Certificate, tmp_path: Path, capsys: Any
) -> None:
    _pdf, root = files(tmp_path, pdf_of(certify(ready, entered)))
    (tmp_path / "photo.png").write_bytes(photo_of(pdf_of(entered), tmp_path))
    other = another_portal().certificate
    (tmp_path / "autre.pem").write_bytes(pem.armor("CERTIFICATE", other.dump()))

    code, out = verify(
        capsys,
        str(tmp_path / "photo.png"),
        "--racine",
        root,
        "--cachet",
        str(tmp_path / "autre.pem"),
    )

    assert code == 1
    assert "Le certificat du sceau donné n'est pas émis par la racine donnée." in out
