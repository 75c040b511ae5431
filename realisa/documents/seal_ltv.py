"""Long-term validation of the portal's seals, and their re-timestamping (PAdES B-LTA).

``long_term_check`` is what a validator finds years later, with the portal gone: nothing
is fetched, revocation is checked in « hard-fail » mode, and only the file's DSS (the
chains, the CA's CRL) and the trust roots are used. A chain of document time-stamps moves
the moment the seal's certificate is checked back to the oldest of them, so a B-LTA seal
stays valid after that certificate expires; a B-B one does not.

``retimestamp`` adds a document time-stamp (and the DSS it needs) to a sealed PDF;
``timestamp_expiry`` says when the newest time-stamp (or, without one, the seal itself)
stops vouching for the document: the ``retimestamp_documents`` command renews before.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    EmbeddedPdfSignature,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from realisa.documents.sealing_keys import (
    LEVEL_B_B,
    LEVEL_B_LT,
    LEVEL_B_LTA,
    LEVEL_B_T,
    seal_keys,
    tsa_trust_roots,
)
from realisa.lib.aio import outside_running_loop

Contexts = Callable[[datetime | None], ValidationContext]


@dataclass(frozen=True)
class LongTermCheck:
    """A validator's verdict on a seal, from the file alone."""

    intact: bool
    valid: bool
    trusted: bool
    ltv: bool  # the DSS holds the chain and what « hard-fail » revocation checking needs
    level: str
    checked_at: datetime | None  # when the certificate was checked (None: now)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


def long_term_check(pdf_bytes: bytes) -> LongTermCheck:
    """Check the (first) seal of ``pdf_bytes`` as an offline, « hard-fail » validator does."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    signature = reader.embedded_regular_signatures[0]
    dss = _dss(reader)
    contexts = _contexts(dss, "hard-fail")
    stamps = _later_timestamps(reader, signature)
    moment = _archive_moment(stamps, contexts) if stamps else None
    status = outside_running_loop(
        validate_pdf_signature,
        signature,
        signer_validation_context=contexts(moment),
        ts_validation_context=contexts(moment),
    )
    in_dss = {c.sha256 for c in dss.load_certs()} if dss else set()
    path = status.validation_path
    covered = path is not None and all(c.sha256 in in_dss for c in path.iter_certs(False))
    level = _level(status.timestamp_validity is not None, dss is not None, bool(stamps))
    return LongTermCheck(
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted and (not stamps or moment is not None),
        ltv=dss is not None and status.trusted and covered,
        level=level,
        checked_at=moment,
    )


def _level(timestamped: bool, has_dss: bool, archived: bool) -> str:
    if not timestamped and not archived:
        return LEVEL_B_B
    if not has_dss:
        return LEVEL_B_T
    return LEVEL_B_LTA if archived else LEVEL_B_LT


def _dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None


def _contexts(dss: DocumentSecurityStore | None, mode: str) -> Contexts:
    """Validation contexts at a given moment: the roots, the DSS, nothing fetched."""
    roots = list(seal_keys().trust_roots) + tsa_trust_roots()

    def at(moment: datetime | None) -> ValidationContext:
        options: dict[str, Any] = {
            "trust_roots": roots,
            "allow_fetching": False,
            "revocation_mode": mode,
            "moment": moment,
        }
        if dss is None:  # nothing to revoke with: « hard-fail » then says so
            return ValidationContext(crls=[], ocsps=[], **options)
        return dss.as_validation_context(options)

    return at


def _later_timestamps(
    reader: PdfFileReader, signature: EmbeddedPdfSignature
) -> list[EmbeddedPdfSignature]:
    """The document time-stamps added after the seal, oldest first."""
    return sorted(
        (
            stamp
            for stamp in reader.embedded_timestamp_signatures
            if stamp.signed_revision > signature.signed_revision
        ),
        key=lambda stamp: stamp.signed_revision,
    )


def _archive_moment(stamps: list[EmbeddedPdfSignature], contexts: Contexts) -> datetime | None:
    """The oldest document time-stamp's time, if the chain holds (newest checked now,
    each older one at the time of the next); None if a link is broken."""
    moment: datetime | None = None
    for stamp in reversed(stamps):
        status = outside_running_loop(
            validate_pdf_timestamp, stamp, validation_context=contexts(moment)
        )
        if not (status.intact and status.valid and status.trusted):
            return None
        moment = status.timestamp
    return moment


# -- Re-timestamping -------------------------------------------------------------------------


def timestamp_expiry(pdf_bytes: bytes) -> datetime:
    """When the newest time-stamp's certificate expires; without one, the seal's own."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    stamps = reader.embedded_timestamp_signatures
    if stamps:
        certificate = max(stamps, key=lambda s: s.signed_revision).signer_cert
    else:
        signature = reader.embedded_regular_signatures[0]
        certificate = _token_certificate(signature) or signature.signer_cert
    expiry: datetime = certificate["tbs_certificate"]["validity"]["not_after"].native
    return expiry


def _token_certificate(signature: EmbeddedPdfSignature) -> asn1_x509.Certificate | None:
    """The time-stamping certificate of the seal's own time-stamp token, if any."""
    for attribute in signature.signer_info["unsigned_attrs"] or ():
        if attribute["type"].native != "signature_time_stamp_token":
            continue
        for choice in attribute["values"][0]["content"]["certificates"]:
            certificate: asn1_x509.Certificate = choice.chosen
            usage = certificate.extended_key_usage_value
            if usage is not None and "time_stamping" in usage.native:
                return certificate
    return None


RETIMESTAMP_ERRORS = (timestamps.TimestampRequestError, SigningError, OSError)


def retimestamp(pdf_bytes: bytes, authority: timestamps.TimeStamper) -> bytes:
    """``pdf_bytes`` with a new document time-stamp over everything, and a fresh DSS.

    pyHanko checks the newest time-stamp first (roots, DSS, nothing fetched) and adds
    what validates it, then the authority's chain, before time-stamping.
    """
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    context = _contexts(_dss(reader), "soft-fail")(None)
    output: io.BytesIO = outside_running_loop(
        PdfTimeStamper(authority, readable_field_name="Horodatage").update_archival_timestamp_chain,
        reader,
        context,
        in_place=False,
        default_md_algorithm="sha256",
    )
    return output.getvalue()
