"""The QR code proves by itself: besides the link, a JWS signed with the seal's key names
the reference, dossier, month, the three totals and the SHA-256 of ``certificat.json``.
Read back from the printed page, it verifies with the seal's certificate only."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from cryptography import x509
from PIL import Image
from pyhanko.sign.signers import SimpleSigner

from realisa.documents import qr_payload
from realisa.documents.qr_payload import Payload, PayloadError
from realisa.documents.record import RECORD_JSON
from realisa.documents.sealing_keys import SealKeys, generate_pkcs12, seal_keys
from tests.documents.conftest import make_certificate, poppler
from tests.documents.test_pdf_content import issued_pdf

pytestmark = pytest.mark.django_db


def seal_certificate() -> x509.Certificate:
    return x509.load_der_x509_certificate(seal_keys().certificate.dump())


def printed_token(pdf: bytes, tmp_path: Path) -> str:
    """The QR code's text after its « # », read from the page drawn at 200 dpi."""
    (tmp_path / "certificat.pdf").write_bytes(pdf)
    poppler("pdftoppm", "-r", "200", "-png", "-singlefile", "certificat.pdf", "page", cwd=tmp_path)
    (code,) = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    link, token = code.text.split("#")
    assert link.endswith("/")
    return token


def test_the_printed_payload_verifies_and_names_the_embedded_json(tmp_path: Path) -> None:
    certificate = make_certificate()
    pdf, reference = issued_pdf(certificate)

    payload = qr_payload.verify(printed_token(pdf, tmp_path), seal_certificate())

    with pikepdf.open(io.BytesIO(pdf)) as document:
        record = document.attachments[RECORD_JSON].get_file().read_bytes()
    assert payload == Payload(
        reference=reference,
        dossier=certificate.dossier.number,
        month=certificate.month.strftime("%Y-%m"),
        centre_minutes=certificate.centre_minutes,
        internship_minutes=certificate.internship_minutes,
        absence_minutes=certificate.absence_minutes,
        draft=True,
        record_sha256=hashlib.sha256(record).hexdigest(),
    )


def another_portal() -> SealKeys:
    """A seal made elsewhere: its own local CA and key."""
    signer = SimpleSigner.load_pkcs12_data(generate_pkcs12(), ())
    assert signer.signing_cert is not None
    return SealKeys(signer, signer.signing_cert, (), Path("autre.p12"))


PAYLOAD = Payload("RC-0000-0000-0000", "FPE-1", "2026-03", 60, 0, 0, False, "0" * 64)


def test_a_payload_signed_by_another_key_is_refused() -> None:
    assert qr_payload.verify(qr_payload.sign(PAYLOAD, seal_keys()), seal_certificate()) == PAYLOAD

    with pytest.raises(PayloadError, match="Signature du code QR invalide"):
        qr_payload.verify(qr_payload.sign(PAYLOAD, another_portal()), seal_certificate())


def test_a_changed_total_breaks_the_signature() -> None:
    header, _claims, signature = qr_payload.sign(PAYLOAD, seal_keys()).split(".")
    changed = dataclasses.replace(PAYLOAD, centre_minutes=6000)
    claims = base64.urlsafe_b64encode(json.dumps(changed.claims()).encode()).decode().rstrip("=")

    with pytest.raises(PayloadError, match="Signature du code QR invalide"):
        qr_payload.verify(f"{header}.{claims}.{signature}", seal_certificate())
