"""The portal's sealing key: a PKCS#12 named by the environment, or a local one made on first use.

The key is parsed once per process (``seal_keys`` caches it); a signature then costs a few
milliseconds instead of the ~80 ms of loading the PKCS#12 every time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone
from pyhanko.sign import timestamps
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

from realisa.lib.aio import outside_running_loop

SIGNING_FOLDER = "signing"
DEFAULT_PKCS12 = "seal.p12"
CA_PEM = "ca.pem"


@dataclass(frozen=True)
class SealKeys:
    """The loaded seal: pyHanko's signer, its certificate and the roots that make it trusted."""

    signer: SimpleSigner
    certificate: asn1_x509.Certificate
    trust_roots: tuple[asn1_x509.Certificate, ...]
    pkcs12_path: Path

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the seal certificate (DER), in hex: what the evidence records."""
        return certificate_fingerprint(self.certificate)

    @property
    def subject(self) -> str:
        return str(self.certificate.subject.human_friendly)


_lock = threading.Lock()
_cache: dict[tuple[str, str], SealKeys] = {}


def seal_keys() -> SealKeys:
    """The portal's seal, loaded once per process (and per configured source)."""
    source = (settings.SIGNING_PKCS12_FILE, str(settings.DATA_DIR))
    keys = _cache.get(source)
    if keys is None:
        # One thread parses (or generates) the key; the others wait and reuse it.
        with _lock:
            keys = _cache.get(source)
            if keys is None:
                keys = _cache[source] = _load()
    return keys


def forget_seal_keys() -> None:
    """Drop the cached key (tests; a process picking up a renewed certificate)."""
    with _lock:
        _cache.clear()


def certificate_fingerprint(certificate: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


def tsa_trust_roots() -> list[asn1_x509.Certificate]:
    """The time-stamping authority's roots, from the PEM file ``SIGNING_TSA_ROOTS_FILE``."""
    path = settings.SIGNING_TSA_ROOTS_FILE
    return list(_pem_bundle(path)) if path else []


@lru_cache(maxsize=4)
def _pem_bundle(path: str) -> tuple[asn1_x509.Certificate, ...]:
    return tuple(
        asn1_x509.Certificate.load(der)
        for _kind, _headers, der in pem.unarmor(Path(path).read_bytes(), multiple=True)
    )


# -- The signature's size and the time-stamping authority: settled once per process --


@lru_cache(maxsize=8)
def timestamper(url: str, timeout: int) -> timestamps.HTTPTimeStamper:
    """One client per authority, so that its size-estimation token is fetched once."""
    return timestamps.HTTPTimeStamper(url, timeout=timeout)


_reserved: dict[tuple[str, str], int] = {}


def bytes_reserved(keys: SealKeys, authority: timestamps.HTTPTimeStamper | None) -> int:
    """The room for the signature, measured once per key and authority (no dry run per PDF)."""
    key = (keys.fingerprint, authority.url if authority else "")
    if key not in _reserved:
        _reserved[key] = outside_running_loop(asyncio.run, _measure(keys, authority))
    return _reserved[key]


def forget_authority(keys: SealKeys, url: str) -> None:
    """After a failure, the next try measures the authority's token size afresh."""
    _reserved.pop((keys.fingerprint, url), None)
    timestamper.cache_clear()


async def _measure(keys: SealKeys, authority: timestamps.HTTPTimeStamper | None) -> int:
    dummy = await keys.signer.async_sign(
        hashes.Hash(hashes.SHA256()).finalize(),
        "sha256",
        dry_run=True,
        use_pades=True,
        timestamper=authority,
        signed_attr_settings=PdfCMSSignedAttributes(signing_time=timezone.now()),
    )
    size = len(dummy.dump()) * 2  # written as hexadecimal
    return size + 2 * (size // 4)  # pyHanko's margin: time-stamp tokens vary in size


def _load() -> SealKeys:
    if settings.SIGNING_PKCS12_FILE:
        path = Path(settings.SIGNING_PKCS12_FILE)
        passphrase = settings.SIGNING_PKCS12_PASSPHRASE.encode() or None
    else:
        path = default_pkcs12(Path(settings.DATA_DIR) / SIGNING_FOLDER)
        passphrase = None
    signer = SimpleSigner.load_pkcs12_data(path.read_bytes(), (), passphrase=passphrase)
    certificate = signer.signing_cert
    if certificate is None:  # pragma: no cover - load_pkcs12_data always sets it
        raise ValueError(f"{path} ne contient pas de certificat de scellement.")
    chain = [c for c in signer.cert_registry if c != certificate]
    return SealKeys(signer, certificate, _trust_roots(certificate, chain), path)


def _trust_roots(
    certificate: asn1_x509.Certificate, chain: list[asn1_x509.Certificate]
) -> tuple[asn1_x509.Certificate, ...]:
    """The self-signed certificates of the PKCS#12's chain; failing that, the top of the chain.

    A PKCS#12 that carries no chain at all makes the seal certificate its own trust root.
    """
    roots = [c for c in chain if c.self_signed != "no"]
    if roots:
        return tuple(roots)
    subjects = {c.subject for c in chain}
    tops = [c for c in chain if c.issuer not in subjects]
    return tuple(tops or [certificate])


def default_pkcs12(folder: Path) -> Path:
    """The embedded default's seal, generated in ``folder`` on first use, chmod 600.

    Two processes starting at once may both generate one; the first to publish wins
    (``os.link`` never replaces a file) and the other uses the winner's.
    """
    path = folder / DEFAULT_PKCS12
    if not path.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _publish(path, generate_pkcs12())
    ca_path = folder / CA_PEM
    if not ca_path.exists():
        _publish(ca_path, _ca_pem(path.read_bytes()))
    return path


def _publish(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, unless ``path`` already exists."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:  # mkstemp creates the file 0600
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: its seal wins
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _ca_pem(pkcs12_data: bytes) -> bytes:
    """The local CA certificate (the trust root to hand out), in PEM."""
    bundle = pkcs12.load_pkcs12(pkcs12_data, None)
    return b"".join(
        c.certificate.public_bytes(serialization.Encoding.PEM) for c in bundle.additional_certs
    )


def generate_pkcs12() -> bytes:
    """A new local CA and a seal certificate it issues, as an unencrypted PKCS#12.

    The CA's private key is discarded once the seal certificate is issued: nobody can
    issue a second seal under this root. ECDSA P-256, as ANSSI's RGS allows.
    """
    now = datetime.now(UTC) - timedelta(minutes=5)  # tolerate small clock differences
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Réalisa — autorité locale de scellement")
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now, years=20)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal = (
        _builder(
            _name("Réalisa — cachet du portail"), ca_name, seal_key.public_key(), now, years=10
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"realisa-seal", seal_key, seal, [ca], serialization.NoEncryption()
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.FUNDER_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    not_before: datetime,
    *,
    years: int,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    """A CA signs certificates; the seal signs documents (digitalSignature + nonRepudiation)."""
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
