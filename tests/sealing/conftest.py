"""Fixtures for the seal: a fresh signing folder, a local time-stamping authority, pdfsig."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from realisa.demo.files import one_page_pdf
from realisa.documents.sealing_keys import seal_keys

PDF_TEXT = "Certificat de realisation - mars 2025"


@pytest.fixture(autouse=True)
def signing_settings(settings: Any, own_seal: Path) -> Path:
    """Each test seals with its own local CA, in the embedded default (B-B, no PKCS#12)."""
    settings.SIGNING_TSA_TIMEOUT = 2
    return own_seal


@pytest.fixture
def pdf() -> bytes:
    return one_page_pdf(PDF_TEXT)


# -- pdfsig -------------------------------------------------------------------------------


def run_pdfsig(pdf_bytes: bytes, folder: Path, *, trust: list[asn1_x509.Certificate]) -> str:
    """pdfsig's report on ``pdf_bytes``, with ``trust`` in a throw-away NSS database."""
    document = folder / "document.pdf"
    document.write_bytes(pdf_bytes)
    command = ["pdfsig"]  # (with -no-ocsp, poppler 22.12 reports "Unknown issue")
    if shutil.which("certutil"):
        command += ["-nssdir", f"sql:{_nss_database(folder / 'nss', trust)}"]
    command.append(str(document))
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout + done.stderr


def _nss_database(folder: Path, trust: list[asn1_x509.Certificate]) -> Path:
    if not folder.exists():
        folder.mkdir()
        _certutil("-N", "--empty-password", "-d", f"sql:{folder}")
        for number, certificate in enumerate(trust):
            pem = folder / f"root{number}.der"
            pem.write_bytes(certificate.dump())
            _certutil(
                "-A", "-n", f"root{number}", "-t", "C,C,C", "-i", str(pem), "-d", f"sql:{folder}"
            )
    return folder


def _certutil(*arguments: str) -> None:
    subprocess.run(["certutil", *arguments], capture_output=True, check=True)  # noqa: S603, S607


@pytest.fixture
def pdfsig(tmp_path: Path) -> Any:
    """``pdfsig(pdf_bytes)``: poppler's verdict, trusting the portal's root."""

    def check(pdf_bytes: bytes, trust: list[asn1_x509.Certificate] | None = None) -> str:
        roots = list(seal_keys().trust_roots) if trust is None else trust
        return run_pdfsig(pdf_bytes, tmp_path, trust=roots)

    return check


# -- A local RFC 3161 time-stamping authority -------------------------------------------------


@dataclass
class LocalTSA:
    url: str
    roots_file: Path
    requests: list[str] = field(default_factory=list)
    failures_left: int = 0


@dataclass(frozen=True)
class TSAKeys:
    root_pem: bytes
    certificate: asn1_x509.Certificate
    key: asn1_keys.PrivateKeyInfo


@pytest.fixture(scope="session")
def tsa_keys() -> TSAKeys:
    """A test TSA root and the time-stamping certificate it issues (RSA: DummyTimeStamper's)."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Racine TSA de test")])
    root = (
        _certificate(root_name, root_name, root_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Horodatage de test")])
    tsa = (
        _certificate(tsa_name, root_name, tsa_key.public_key(), now)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    der_key = tsa_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return TSAKeys(
        root_pem=root.public_bytes(serialization.Encoding.PEM),
        certificate=asn1_x509.Certificate.load(tsa.public_bytes(serialization.Encoding.DER)),
        key=asn1_keys.PrivateKeyInfo.load(der_key),
    )


def _certificate(
    subject: x509.Name, issuer: x509.Name, public_key: rsa.RSAPublicKey, not_before: datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=30))
    )


@pytest.fixture
def tsa(tsa_keys: TSAKeys, tmp_path: Path) -> Iterator[LocalTSA]:
    """An RFC 3161 server on 127.0.0.1, answering with pyHanko's DummyTimeStamper."""
    stamper = DummyTimeStamper(tsa_cert=tsa_keys.certificate, tsa_key=tsa_keys.key)
    roots_file = tmp_path / "tsa-roots.pem"
    roots_file.write_bytes(tsa_keys.root_pem)
    state = LocalTSA(url="", roots_file=roots_file)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(self.headers.get("Content-Type", ""))
            if state.failures_left > 0:
                state.failures_left -= 1
                self.send_error(503)
                return
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
