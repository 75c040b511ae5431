"""A loopback RFC 3161 time-stamping authority: OpenSSL's ``openssl ts -reply`` over HTTP.

It makes its own test root and time-stamping certificate (extendedKeyUsage timeStamping,
critical) with ``cryptography``, writes an ``openssl ts`` configuration, and answers
``application/timestamp-query`` POSTs on 127.0.0.1. The benchmarks use it, and the tests'
fixture (``tests/tsa.py``) too. Its certificates outlive the portal's local seal (30 and
40 years against 10 and 20), so a test moving the clock past the seal's expiry still finds
the authority valid.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from realisa.documents.sealing_keys import certificate_builder

ROOT_NAME = "Racine d'horodatage de test (boucle locale)"
TSA_NAME = "Horodatage de test (boucle locale)"

OPENSSL_CONFIG = """\
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = {folder}
serial = $dir/serial
signer_cert = $dir/tsa.pem
certs = $dir/root.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@dataclass
class LoopbackTSA:
    """The authority, running: its URL, its roots file, what it was asked."""

    folder: Path
    url: str = ""
    requests: list[str] = field(default_factory=list)
    failures_left: int = 0  # answer 503 this many times first
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)  # one serial file

    @property
    def roots_file(self) -> Path:
        return self.folder / "root.pem"

    def __enter__(self) -> LoopbackTSA:
        make_keys(self.folder)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/tsa"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def reply(self, query: bytes) -> bytes:
        """``openssl ts -reply`` on ``query``: a DER TimeStampResp."""
        with self._lock, tempfile.TemporaryDirectory(dir=self.folder) as work:
            query_file, reply_file = Path(work) / "query.tsq", Path(work) / "reply.tsr"
            query_file.write_bytes(query)
            folder = self.folder
            options = {
                "-config": folder / "openssl.cnf",
                "-queryfile": query_file,
                "-signer": folder / "tsa.pem",
                "-inkey": folder / "tsa.key",
                "-chain": self.roots_file,
                "-out": reply_file,
            }
            arguments = [str(part) for pair in options.items() for part in pair]
            # The machine's OpenSSL, as CI has it.
            subprocess.run(["openssl", "ts", "-reply", *arguments], check=True, capture_output=True)
            return reply_file.read_bytes()


def _handler(tsa: LoopbackTSA) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            kind = self.headers.get("Content-Type", "")
            tsa.requests.append(kind)
            if tsa.failures_left > 0 or kind != "application/timestamp-query":
                tsa.failures_left = max(tsa.failures_left - 1, 0)
                self.send_error(503 if kind == "application/timestamp-query" else 415)
                return
            answer = tsa.reply(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    return Handler


def make_keys(folder: Path) -> None:
    """The test root, the time-stamping certificate it issues, their keys, the config."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(ROOT_NAME)
    root = (
        certificate_builder(root_name, root_name, root_key.public_key(), now, years=40)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = (
        certificate_builder(_name(TSA_NAME), root_name, tsa_key.public_key(), now, years=30)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / "root.pem").write_bytes(root.public_bytes(pem))
    (folder / "tsa.pem").write_bytes(tsa.public_bytes(pem))
    (folder / "tsa.key").write_bytes(
        tsa_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "serial").write_text("01\n")
    (folder / "openssl.cnf").write_text(OPENSSL_CONFIG.format(folder=folder))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
