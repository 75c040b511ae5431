"""The QR code's signed payload: the certificate's key facts, verifiable offline.

Besides the verification link, a certificate's QR code carries, after a ``#`` (a browser
never sends it to the server), a JWS in compact serialisation (RFC 7515) signed with the
portal's seal key: ES256 for the embedded default's ECDSA P-256 key, RS256 for an RSA
one. Its claims are the reference, the dossier number, the month, the three hour totals
in minutes, whether the version is a draft, and the SHA-256 of the ``certificat.json``
embedded in the same PDF. The QR code is drawn before the seal, so it cannot name the
sealed file: the method and time of certification are the seal's and the JSON's.
``docs/verification.md`` describes the format for an auditor.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from realisa.documents.sealing_keys import SealKeys

P256_HALF = 32  # bytes of r, then of s, in an ES256 signature


class PayloadError(ValueError):
    """A payload that is malformed, or not signed by the key it is checked against."""


@dataclass(frozen=True)
class Payload:
    """The signed facts, as the QR code carries them."""

    reference: str
    dossier: str
    month: str  # « 2026-03 »
    centre_minutes: int
    internship_minutes: int
    absence_minutes: int
    draft: bool
    record_sha256: str  # of the embedded certificat.json

    def claims(self) -> dict[str, Any]:
        return {
            "ref": self.reference,
            "dos": self.dossier,
            "mois": self.month,
            "h": [self.centre_minutes, self.internship_minutes, self.absence_minutes],
            "prov": self.draft,
            "json": self.record_sha256,
        }

    @classmethod
    def from_record(cls, record: bytes) -> Payload:
        """The payload of the version whose ``certificat.json`` is ``record``."""
        facts = json.loads(record)
        hours = facts["heures_minutes"]
        return cls(
            reference=facts["reference"],
            dossier=facts["dossier"],
            month=facts["mois"],
            centre_minutes=hours["presence_centre"],
            internship_minutes=hours["presence_stage"],
            absence_minutes=hours["absence"],
            draft=facts["provisoire"],
            record_sha256=hashlib.sha256(record).hexdigest(),
        )

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Payload:
        try:
            centre, internship, absence = (int(value) for value in claims["h"])
            return cls(
                str(claims["ref"]),
                str(claims["dos"]),
                str(claims["mois"]),
                centre,
                internship,
                absence,
                bool(claims["prov"]),
                str(claims["json"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise PayloadError(f"Contenu signé incomplet ({error}).") from error


def sign(payload: Payload, keys: SealKeys) -> str:
    """``payload`` as a compact JWS signed with the seal's key."""
    key = serialization.load_der_private_key(keys.signer.signing_key.dump(), password=None)
    header = {"alg": _algorithm(key.public_key()), "kid": keys.fingerprint[:16]}
    signing_input = f"{_encode_json(header)}.{_encode_json(payload.claims())}".encode()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(P256_HALF, "big") + s.to_bytes(P256_HALF, "big")
    elif isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    else:  # pragma: no cover - the seal recipe makes EC or RSA keys
        raise PayloadError("Clé de scellement ni ECDSA ni RSA.")
    return f"{signing_input.decode()}.{_encode(signature)}"


def verify(token: str, certificate: x509.Certificate) -> Payload:
    """The payload of ``token`` if ``certificate``'s key signed it; ``PayloadError`` if not."""
    try:
        header_part, claims_part, signature_part = token.split(".")
        header = json.loads(_decode(header_part))
        claims = json.loads(_decode(claims_part))
        signature = _decode(signature_part)
    except ValueError as error:
        raise PayloadError("Contenu du code QR illisible (JWS compact attendu).") from error
    public_key = certificate.public_key()
    if header.get("alg") != _algorithm(public_key):
        raise PayloadError(f"Algorithme inattendu : {header.get('alg')!r}.")
    signing_input = f"{header_part}.{claims_part}".encode()
    try:
        _check_signature(public_key, signature, signing_input)
    except InvalidSignature as error:
        raise PayloadError("Signature du code QR invalide pour ce certificat.") from error
    return Payload.from_claims(claims)


def _check_signature(public_key: Any, signature: bytes, signing_input: bytes) -> None:
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if len(signature) != 2 * P256_HALF:
            raise InvalidSignature
        r = int.from_bytes(signature[:P256_HALF], "big")
        s = int.from_bytes(signature[P256_HALF:], "big")
        public_key.verify(encode_dss_signature(r, s), signing_input, ec.ECDSA(hashes.SHA256()))
    else:
        public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())


def _algorithm(public_key: Any) -> str:
    if isinstance(public_key, ec.EllipticCurvePublicKey) and public_key.curve.name == "secp256r1":
        return "ES256"
    if isinstance(public_key, rsa.RSAPublicKey):
        return "RS256"
    raise PayloadError("Clé de scellement non prise en charge (ECDSA P-256 ou RSA).")


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _encode_json(data: dict[str, Any]) -> str:
    return _encode(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
