"""The seal's revocation material, and the validation context that puts it in every DSS.

The embedded default's local CA signs one CRL (empty, valid as long as the CA) before its
private key is discarded: ``ca.crl`` beside ``ca.pem``. A production PKCS#12 names its CA's
CRL with ``SIGNING_CRL_FILE`` (DER or PEM). Every seal carries the chain, that CRL and,
with a time-stamping authority, the authority's chain in its DSS (PAdES B-LT material).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

CA_CRL = "ca.crl"
CRL_PATH = "/sceau/ca.crl"  # the distribution point the local seal certificate declares


def distribution_point() -> x509.CRLDistributionPoints:
    """Where the local seal certificate says its CA's CRL is: the portal's own address.

    pyHanko's « hard-fail » mode checks revocation only for a certificate that declares
    where to find it; the CRL itself travels in each seal's DSS, so nobody needs to fetch.
    """
    url = f"{settings.SITE_URL}{CRL_PATH}"
    point = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(url)],
        relative_name=None,
        reasons=None,
        crl_issuer=None,
    )
    return x509.CRLDistributionPoints([point])


def empty_crl(
    ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, issued_at: datetime
) -> bytes:
    """A CRL revoking nothing, valid until the CA itself expires, in PEM."""
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(issued_at)
        .next_update(ca.not_valid_after_utc)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.PEM)


def load_crl(path: Path) -> asn1_crl.CertificateList:
    """A CRL file, DER or PEM."""
    data = path.read_bytes()
    if pem.detect(data):
        _kind, _headers, data = pem.unarmor(data)
    return asn1_crl.CertificateList.load(data)


def configured_crls(folder: Path | None) -> tuple[asn1_crl.CertificateList, ...]:
    """``SIGNING_CRL_FILE``, or the local CA's ``ca.crl`` in ``folder`` (embedded default).

    A data folder made before CRLs existed has none, and its CA's key is gone: its seals
    carry the chain without a CRL (its certificate declares no distribution point, so
    « hard-fail » validation does not ask for one). Making a new CA would orphan the
    documents already sealed, so nothing is generated: the log says so, once per process
    (INFO: such a folder is expected, docs/security.md says what to do).
    """
    if settings.SIGNING_CRL_FILE:
        return (load_crl(Path(settings.SIGNING_CRL_FILE)),)
    if folder is None:
        return ()
    path = folder / CA_CRL
    if not path.exists():
        logger.info(
            "Pas de liste de révocation %s : les sceaux ne porteront que la chaîne de "
            "certificats (autorité locale créée avant les CRL).",
            path,
        )
        return ()
    return (load_crl(path),)


def declares_crl(certificate: asn1_x509.Certificate) -> bool:
    return certificate.crl_distribution_points_value is not None


def signing_context(
    roots: list[asn1_x509.Certificate],
    chain: list[asn1_x509.Certificate],
    crls: tuple[asn1_crl.CertificateList, ...],
) -> ValidationContext:
    """What pyHanko validates the seal (and the authority) with before signing.

    Nothing is fetched: what it uses (chains, CRL) goes into the seal's DSS. « soft-fail »:
    an authority whose certificate declares a CRL we do not hold does not stop the seal.
    """
    return ValidationContext(
        trust_roots=roots,
        other_certs=chain,
        crls=list(crls),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
