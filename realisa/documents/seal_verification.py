"""Checking the seals of an uploaded PDF: pyHanko's validator, against the portal's roots.

What it finds is put in French for the public verification page. ``sealing`` re-exports
``verify_pdf``, so callers keep importing it beside ``seal_pdf``.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext

from realisa.documents.sealing_keys import (
    LEVEL_B_B,
    LEVEL_B_LT,
    LEVEL_B_LTA,
    LEVEL_B_T,
    certificate_fingerprint,
    seal_keys,
    tsa_trust_roots,
)
from realisa.lib.aio import outside_running_loop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko found about one signature, with the French the page shows."""

    field_name: str
    intact: bool
    valid: bool
    trusted: bool
    entire_document: bool
    signing_time: datetime | None
    signer_subject: str
    signer_fingerprint: str
    organisation: str
    reason: str
    timestamp_time: datetime | None = None
    timestamp_ok: bool | None = None
    has_dss: bool = False  # the file carries validation material (a DSS)
    archived: bool = False  # a document time-stamp follows the signature

    @property
    def level(self) -> str:
        if not self.timestamp_time:
            return LEVEL_B_B
        if not self.has_dss:
            return LEVEL_B_T
        return LEVEL_B_LTA if self.archived else LEVEL_B_LT

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        found = []
        if not self.intact:
            found.append("Le document a été modifié après le scellement.")
        elif not self.valid:
            found.append("La signature est mathématiquement invalide.")
        if self.intact and self.valid and not self.trusted:
            found.append("Le certificat du sceau n'est pas celui du portail (non reconnu).")
        if not self.entire_document:
            found.append("Le sceau ne couvre pas tout le document : du contenu a été ajouté.")
        if self.timestamp_ok is False:
            found.append("L'horodatage du sceau n'est pas valide ou pas reconnu.")
        return found

    def rows(self) -> list[tuple[str, str]]:
        """Label and value pairs, in French, for the verification page."""
        when = self.timestamp_time or self.signing_time
        return [
            ("Intégrité", "document intact" if self.intact else "document modifié"),
            ("Signature", "valide" if self.valid else "invalide"),
            ("Certificat", "reconnu (sceau du portail)" if self.trusted else "non reconnu"),
            ("Couverture", "tout le document" if self.entire_document else "partielle"),
            ("Scellé pour", self.organisation or "non précisé"),
            ("Motif", self.reason or "non précisé"),
            ("Date du sceau", _french_moment(when) if when else "inconnue"),
            ("Horodatage", _timestamp_label(self)),
            ("Certificat du sceau", self.signer_subject),
            ("Empreinte SHA-256 du certificat", self.signer_fingerprint),
        ]


@dataclass(frozen=True)
class VerificationResult:
    signatures: tuple[SignatureCheck, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def message(self) -> str:
        """The headline, in French."""
        if self.error:
            return self.error
        if not self.signatures:
            return "Ce document ne porte aucun sceau électronique."
        if self.ok:
            return "Le sceau électronique est valide : le document n'a pas changé depuis."
        return "Le sceau électronique n'est pas valide."


def verify_pdf(
    pdf_bytes: bytes, trust_roots: Sequence[asn1_x509.Certificate] | None = None
) -> VerificationResult:
    """Check every signature of ``pdf_bytes`` against the portal's trust root(s), or
    against ``trust_roots`` (an auditor's copy of the root, offline)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = reader.embedded_regular_signatures
        roots = list(trust_roots or seal_keys().trust_roots)
        # the time-stamping authority's roots: the portal's setting, or in the auditor's file
        stamp_roots = roots if trust_roots else roots + tsa_trust_roots()
        checks = tuple(_check(signature, roots, stamp_roots) for signature in embedded)
    # pyHanko reads a damaged file as far as it can: a reference to a missing object reads
    # as null, and a null where a dictionary was expected raises AttributeError.
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        logger.info("Vérification impossible : %r", error)
        return VerificationResult(
            error="Ce fichier n'est pas un PDF lisible ou son sceau est abîmé."
        )
    return VerificationResult(signatures=checks)


def _check(
    signature: EmbeddedPdfSignature,
    roots: list[asn1_x509.Certificate],
    stamp_roots: list[asn1_x509.Certificate],
) -> SignatureCheck:
    status = outside_running_loop(
        validate_pdf_signature,
        signature,
        signer_validation_context=ValidationContext(trust_roots=roots),
        ts_validation_context=ValidationContext(trust_roots=stamp_roots),
    )
    stamp = status.timestamp_validity
    sig_object = signature.sig_object
    return SignatureCheck(
        field_name=str(signature.field_name),
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        entire_document=_entire(status),
        signing_time=status.signer_reported_dt,
        signer_subject=str(status.signing_cert.subject.human_friendly),
        signer_fingerprint=certificate_fingerprint(status.signing_cert),
        organisation=str(sig_object.get("/Name", "")),
        reason=str(sig_object.get("/Reason", "")),
        timestamp_time=stamp.timestamp if stamp else None,
        timestamp_ok=stamp.trusted if stamp else None,
        has_dss=signature.reader.root.get("/DSS") is not None,
        archived=any(
            ts.signed_revision > signature.signed_revision
            for ts in signature.reader.embedded_timestamp_signatures
        ),
    )


def _entire(status: PdfSignatureStatus) -> bool:
    """The whole file, or the whole file but what archiving adds (DSS, document time-stamps)."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level == ModificationLevel.LTA_UPDATES
    )


def _french_moment(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y à %H:%M:%S")


def _timestamp_label(check: SignatureCheck) -> str:
    if check.timestamp_time is None:
        return "aucun (PAdES B-B : date déclarée par le portail)"
    validity = "valide" if check.timestamp_ok else "non valide ou non reconnu"
    return f"{_french_moment(check.timestamp_time)}, {validity} (PAdES {check.level})"
