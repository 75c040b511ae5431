"""``realisa-verify``: check a certificate PDF offline, against the portal's root.

    realisa-verify certificat.pdf --racine ca.pem [--preuve preuve.pdf] [--json]
    realisa-verify photo.jpg --racine ca.pem --cachet cachet.pem

It prints, in French and in English, each check of ``offline_check`` and « valide » or
« invalide »; it exits 0 only when nothing failed (1 otherwise, 2 for a file it cannot
read). It needs no database, no network and no portal settings.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.conf import settings
from PIL import Image

MARKS = {True: "ok", False: "ÉCHEC / FAILED", None: "info"}
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff")  # a photo or a scan of the printed page


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        content = arguments.pdf.read_bytes()
        roots = _roots(arguments.racine.read_bytes())
        evidence = arguments.preuve.read_bytes() if arguments.preuve else None
        seal = _certificate(arguments.cachet.read_bytes()) if arguments.cachet else None
        if content.startswith(IMAGE_MAGIC) and seal is None:
            raise ValueError("une photo se vérifie avec --cachet (le certificat du sceau)")
    except (OSError, ValueError) as error:
        print(f"realisa-verify : {error}", file=sys.stderr)
        return 2
    _standalone_settings()
    # after the settings: the checks read Django's time zone helpers
    from realisa.documents.offline_check import check_certificate, check_photo

    if seal is not None and content.startswith(IMAGE_MAGIC):
        report = check_photo(Image.open(io.BytesIO(content)), roots, seal)
    else:
        report = check_certificate(content, roots, evidence=evidence)
    _print(report, as_json=arguments.json)
    return 0 if report.ok else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="realisa-verify",
        description="Vérifie hors ligne un certificat de réalisation scellé par Réalisa.",
    )
    parser.add_argument("pdf", type=Path, help="le certificat (PDF), ou une photo (PNG, JPEG)")
    parser.add_argument("--racine", type=Path, required=True, help="certificat racine (PEM)")
    parser.add_argument("--preuve", type=Path, help="le dossier de preuve complet (PDF)")
    parser.add_argument("--cachet", type=Path, help="le certificat du sceau (PEM), pour une photo")
    parser.add_argument("--json", action="store_true", help="rapport en JSON")
    return parser


def _print(report: Any, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    for finding in report.findings:
        print(f"[{MARKS[finding.ok]}] {finding.fr}\n        {finding.en}")
    fr, en = report.verdict
    print(f"Certificat {fr} / Certificate {en}")


def _certificate(data: bytes) -> x509.Certificate:
    """The seal's certificate, the first of a PEM file (or a DER certificate)."""
    if pem.detect(data):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def _roots(data: bytes) -> list[asn1_x509.Certificate]:
    """The root certificates of a PEM bundle (or of one DER certificate)."""
    if not pem.detect(data):
        return [asn1_x509.Certificate.load(data)]
    roots = [asn1_x509.Certificate.load(der) for _kind, _h, der in pem.unarmor(data, True)]
    if not roots:
        raise ValueError("aucun certificat dans le fichier racine")
    return roots


def _standalone_settings() -> None:
    """Outside the portal, the few settings the checks read: Paris time."""
    if not settings.configured:
        settings.configure(USE_TZ=True, TIME_ZONE="Europe/Paris")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
