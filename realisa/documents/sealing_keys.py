"""The seal's material: the portal's key and the time-stamping authority.

The key is a PKCS#12 named by the environment, or a local one made on first use. It is
parsed once per process (``seal_keys`` caches it), and the room pyHanko reserves for its
signature is measured once per key and authority: no seal parses the PKCS#12 or runs a
dry-run signature again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms, pem
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from realisa.documents.seal_revocation import (
    CA_CRL,
    configured_crls,
    declares_crl,
    distribution_point,
    empty_crl,
)

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
    # The CA's CRL (``ca.crl`` or ``SIGNING_CRL_FILE``), for each seal's DSS; may be empty.
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    # The room (hex digits) pyHanko reserved for this key's first signature, per authority
    # URL ("" for none): later seals pass it as ``bytes_reserved`` and skip the dry run.
    rooms: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

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


# -- The time-stamping authority ----------------------------------------------------------

LEVEL_B_B = "B-B"  # the signing time is the portal's word (the signature's /M)
LEVEL_B_T = "B-T"  # an authority's time-stamp token vouches for it
LEVEL_B_LT = "B-LT"  # B-T, and the DSS holds what validates it once the portal is gone
LEVEL_B_LTA = "B-LTA"  # B-LT under a document time-stamp, renewable before it expires


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


@lru_cache(maxsize=8)
def timestamper(url: str, timeout: int) -> RequestsHTTPTimeStamper:
    """One client per authority, so that its size-estimation token is fetched once.

    pyHanko's ``requests`` client: its aiohttp one builds an SSL context from certifi's
    bundle for every request (about 20 ms, a third of a B-LT seal on a loopback authority).
    """
    return RequestsHTTPTimeStamper(url, timeout=timeout)  # type: ignore[no-untyped-call]


def forget_authority(keys: SealKeys, url: str) -> None:
    """After a failure, the next try measures the authority's token size afresh."""
    keys.rooms.pop(url, None)
    timestamper.cache_clear()


@dataclass(frozen=True)
class TimestampInfo:
    tsa_url: str
    time: datetime
    tsa_subject: str


def timestamp_info(signer_info: cms.SignerInfo, url: str) -> TimestampInfo | None:
    """What the signature's time-stamp token (an unsigned attribute) says, if it has one."""
    for attribute in signer_info["unsigned_attrs"] or ():
        if attribute["type"].native == "signature_time_stamp_token":
            signed_data = attribute["values"][0]["content"]
            info = signed_data["encap_content_info"]["content"].parsed
            return TimestampInfo(url, info["gen_time"].native, _tsa_subject(signed_data))
    return None


def _tsa_subject(signed_data: cms.SignedData) -> str:
    """The subject of the token's time-stamping certificate (or of its first one)."""
    certificates = [c.chosen for c in signed_data["certificates"]]
    chosen = [c for c in certificates if _is_time_stamping(c)] or certificates
    return str(chosen[0].subject.human_friendly) if chosen else ""


def _is_time_stamping(certificate: asn1_x509.Certificate) -> bool:
    usage = certificate.extended_key_usage_value
    return usage is not None and "time_stamping" in usage.native


# -- Loading or making the key -----------------------------------------------------------


def _load() -> SealKeys:
    folder = None
    if settings.SIGNING_PKCS12_FILE:
        path = Path(settings.SIGNING_PKCS12_FILE)
        passphrase = settings.SIGNING_PKCS12_PASSPHRASE.encode() or None
    else:
        folder = Path(settings.DATA_DIR) / SIGNING_FOLDER
        path = default_pkcs12(folder)
        passphrase = None
    signer = SimpleSigner.load_pkcs12_data(path.read_bytes(), (), passphrase=passphrase)
    certificate = signer.signing_cert
    if certificate is None:  # pragma: no cover - load_pkcs12_data always sets it
        raise ValueError(f"{path} ne contient pas de certificat de scellement.")
    chain = [c for c in signer.cert_registry if c != certificate]
    if folder is not None and declares_crl(certificate):
        _await_file(folder / CA_CRL)  # another process's CA: its CRL follows its PKCS#12
    roots = _trust_roots(certificate, chain)
    return SealKeys(signer, certificate, roots, path, configured_crls(folder))


def _await_file(path: Path, seconds: float = 5.0) -> None:
    """Wait a little for a file that the process which won the race is about to publish."""
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


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
        made = generate_seal()
        if _publish(path, made.pkcs12):  # only the winner's CRL matches the published CA
            _publish(folder / CA_CRL, made.crl)
    ca_path = folder / CA_PEM
    if not ca_path.exists():
        _publish(ca_path, _ca_pem(path.read_bytes()))
    return path


def _publish(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically, unless ``path`` already exists (then False)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:  # mkstemp creates the file 0600
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:  # another process was first: its seal wins
            return False
    finally:
        os.unlink(temporary)
    return True


def _ca_pem(pkcs12_data: bytes) -> bytes:
    """The local CA certificate (the trust root to hand out), in PEM."""
    bundle = pkcs12.load_pkcs12(pkcs12_data, None)
    return b"".join(
        c.certificate.public_bytes(serialization.Encoding.PEM) for c in bundle.additional_certs
    )


@dataclass(frozen=True)
class GeneratedSeal:
    pkcs12: bytes
    crl: bytes  # PEM, signed by the local CA before its key was discarded


def generate_pkcs12() -> bytes:
    """A new local CA and a seal certificate it issues, as an unencrypted PKCS#12."""
    return generate_seal().pkcs12


def generate_seal() -> GeneratedSeal:
    """A new local CA, the seal certificate it issues (PKCS#12) and the CA's empty CRL.

    The CA's private key is discarded once the seal certificate and the CRL are signed:
    nobody can issue a second seal under this root. ECDSA P-256, as ANSSI's RGS allows.
    """
    now = datetime.now(UTC) - timedelta(minutes=5)  # tolerate small clock differences
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Réalisa — autorité locale de scellement")
    ca = (
        certificate_builder(ca_name, ca_name, ca_key.public_key(), now, years=20)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal = (
        certificate_builder(
            _name("Réalisa — cachet du portail"), ca_name, seal_key.public_key(), now, years=10
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(distribution_point(), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"realisa-seal", seal_key, seal, [ca], serialization.NoEncryption()
    )
    return GeneratedSeal(data, empty_crl(ca, ca_key, now))


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.FUNDER_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def certificate_builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    not_before: datetime,
    *,
    years: int,
) -> x509.CertificateBuilder:
    """A certificate's common part: names, key, serial, validity, key identifier (the local
    seal here; the loopback time-stamping authority of the tests and benches)."""
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
