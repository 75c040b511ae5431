"""The electronic seal: PAdES signatures with the portal's certificate.

``seal_pdf`` signs through pyHanko's public ``PdfSigner``. Every seal carries its
validation material in a DSS, in the signature's own revision (the chain, the CA's CRL, the
authority's chain): PAdES B-B without a time-stamping authority, B-LT with one, B-LTA when
a document time-stamp follows (``SIGNING_PADES_LTA``). If the authority fails twice, the
seal is B-B and the result says why: never a made-up time. ``verify_pdf`` (in
``seal_verification``, re-exported here) checks every signature of an uploaded PDF against
the portal's trust root. What a visible seal shows, and where, is ``seal_appearance``'s.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.generic import parse_pdf_date
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from realisa.documents.seal_appearance import DEFAULT_BOX as DEFAULT_BOX  # re-exported
from realisa.documents.seal_appearance import SealAppearance as SealAppearance  # re-exported
from realisa.documents.seal_appearance import stamp_style
from realisa.documents.seal_revocation import signing_context
from realisa.documents.seal_verification import verify_pdf as verify_pdf  # re-exported
from realisa.documents.sealing_keys import (
    LEVEL_B_B,
    LEVEL_B_LT,
    LEVEL_B_LTA,
    SealKeys,
    TimestampInfo,
    forget_authority,
    seal_keys,
    timestamp_info,
    timestamper,
    tsa_trust_roots,
)
from realisa.documents.sealing_keys import (
    LEVEL_B_T as LEVEL_B_T,  # re-exported
)
from realisa.lib.aio import outside_running_loop

logger = logging.getLogger(__name__)

TSA_ERRORS = (timestamps.TimestampRequestError, SigningError, OSError)


class _NothingFetchedNotice(logging.Filter):
    """pyHanko warns, on every seal, that validation material is embedded without fetching:
    that is the design here (the chains and the CRL are the portal's own), not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NothingFetchedNotice())


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (e.g. ``preuve.json``, the evidence)."""

    name: str
    data: bytes
    mime: str = "application/octet-stream"
    description: str | None = None
    relationship: str = "/Data"  # PDF/A-3's /AFRelationship: the data the pages show


@dataclass(frozen=True)
class SealResult:
    """The sealed PDF and what the evidence records about its seal."""

    pdf: bytes
    signed_at: datetime
    level: str
    certificate_fingerprint: str
    certificate_subject: str
    timestamp: TimestampInfo | None = None
    fallback_reason: str | None = None

    def evidence(self) -> dict[str, str | None]:
        """The seal's part of the « dossier de preuve », ready for JSON."""
        stamp = self.timestamp
        return {
            "niveau": f"PAdES {self.level}",
            "date_signature": self.signed_at.isoformat(),
            "certificat_empreinte_sha256": self.certificate_fingerprint,
            "certificat_sujet": self.certificate_subject,
            "horodatage_autorite": stamp.tsa_url if stamp else None,
            "horodatage_date": stamp.time.isoformat() if stamp else None,
            "horodatage_sujet": stamp.tsa_subject if stamp else None,
            "horodatage_absent_motif": self.fallback_reason,
        }


def seal_pdf(
    pdf_bytes: bytes,
    *,
    appearance: SealAppearance | None,
    reason: str,
    organisation: str,
    attachments: Sequence[Attachment] = (),
) -> SealResult:
    """Seal ``pdf_bytes`` with the portal's certificate, on behalf of ``organisation``.

    ``attachments`` are embedded in the same revision, before the signature covers them.
    """
    keys = seal_keys()
    job = _SealJob(pdf_bytes, appearance, reason, organisation, tuple(attachments))
    url = settings.SIGNING_TSA_URL
    if not url:
        return job.run(keys, None)
    failure: Exception | None = None
    for attempt in (1, 2):  # the time-stamping authority gets one retry
        try:
            return job.run(keys, timestamper(url, settings.SIGNING_TSA_TIMEOUT))
        except TSA_ERRORS as error:
            logger.warning("Horodatage %s, essai %d : %r", url, attempt, error)
            failure = error
            forget_authority(keys, url)  # the retry measures the token's size afresh
    reason_text = (
        f"L'autorité d'horodatage {url} n'a pas répondu après 2 essais "
        f"({type(failure).__name__}) : document scellé au niveau B-B, sans horodatage."
    )
    return replace(job.run(keys, None), fallback_reason=reason_text)


def embed_file(
    pdf_bytes: bytes,
    *,
    name: str,
    data: bytes,
    mime: str = "application/octet-stream",
    description: str | None = None,
) -> bytes:
    """``pdf_bytes`` with ``data`` attached as ``name`` (an incremental update)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    _embed(writer, Attachment(name, data, mime, description))
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def _embed(writer: IncrementalPdfFileWriter, attachment: Attachment) -> None:
    """pyHanko's embedding API: the file goes into the writer's pending revision."""
    now = timezone.now()
    params = embed.EmbeddedFileParams(creation_date=now, modification_date=now)
    data = embed.EmbeddedFileObject.from_file_data(
        writer, attachment.data, params=params, mime_type=attachment.mime
    )
    spec = embed.FileSpec(
        file_spec_string=attachment.name,
        file_name=attachment.name,
        embedded_data=data,
        description=attachment.description,
        # PDF/A-3: an associated file of the document (/AF), which says how it relates
        af_relationship=generic.NameObject(attachment.relationship),
    )
    embed.embed_file(writer, spec)


@dataclass(frozen=True)
class _SealJob:
    pdf_bytes: bytes
    appearance: SealAppearance | None
    reason: str
    organisation: str
    attachments: tuple[Attachment, ...]

    def run(self, keys: SealKeys, authority: RequestsHTTPTimeStamper | None) -> SealResult:
        """Embed the attachments, then sign in the same revision with ``PdfSigner.sign_pdf``.

        The room for the signature is the one pyHanko estimated on this key's first seal
        (per authority): later seals pass it as ``bytes_reserved`` and skip the dry run.
        """
        writer = IncrementalPdfFileWriter(io.BytesIO(self.pdf_bytes))
        for attachment in self.attachments:
            _embed(writer, attachment)
        url = authority.url if authority else ""
        look = self.appearance
        output: io.BytesIO = outside_running_loop(
            self._pdf_signer(keys, authority).sign_pdf,
            writer,
            bytes_reserved=keys.rooms.get(url),
            appearance_text_params=look.text_params() if look else None,
        )
        signature = PdfFileReader(output).embedded_regular_signatures[-1]
        keys.rooms.setdefault(url, len(signature.pkcs7_content) * 2)  # hex digits
        stamp = timestamp_info(signature.signer_info, url) if authority else None
        return SealResult(
            pdf=output.getvalue(),
            signed_at=parse_pdf_date(str(signature.sig_object["/M"])),  # PAdES: not in CMS
            level=(LEVEL_B_LTA if _archival(authority) else LEVEL_B_LT) if stamp else LEVEL_B_B,
            certificate_fingerprint=keys.fingerprint,
            certificate_subject=keys.subject,
            timestamp=stamp,
        )

    def _pdf_signer(
        self, keys: SealKeys, authority: RequestsHTTPTimeStamper | None
    ) -> signers.PdfSigner:
        """A PAdES signer, SHA-256, whose /Name is the organisation the seal is made for."""
        field_name = f"Sceau-{uuid.uuid4().hex[:12]}"
        roots = list(keys.trust_roots) + (tsa_trust_roots() if authority else [])
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=self.reason,
            name=self.organisation,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=True,
            validation_context=signing_context(roots, list(keys.signer.cert_registry), keys.crls),
            use_pades_lta=_archival(authority),
            dss_settings=_IN_SIGNED_REVISION,
        )
        look = self.appearance
        spec = fields.SigFieldSpec(
            field_name, on_page=look.page if look else 0, box=look.box if look else None
        )
        return signers.PdfSigner(
            meta,
            keys.signer,
            timestamper=authority,
            stamp_style=stamp_style(look) if look else None,
            new_field_spec=spec,
        )


# The DSS goes into the signature's own revision (pyHanko gathers it before signing): the
# seal still covers the whole file, and readers that ignore incremental updates see it.
_IN_SIGNED_REVISION = DSSContentSettings(
    placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
)


def _archival(authority: RequestsHTTPTimeStamper | None) -> bool:
    """B-LTA: a document time-stamp after the signature, when there is an authority."""
    return authority is not None and bool(settings.SIGNING_PADES_LTA)
