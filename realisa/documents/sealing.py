"""The electronic seal: PAdES signatures with the portal's certificate, and their check.

``seal_pdf`` signs PAdES B-B, or B-T when a time-stamping authority is configured (if it
fails twice, the seal is B-B and the result says why: never a made-up time).
``verify_pdf`` checks every signature of an uploaded PDF against the portal's trust root.
"""

from __future__ import annotations

import asyncio
import io
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from PIL import Image
from pyhanko.pdf_utils import embed, images, layout, text
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from realisa.documents.sealing_keys import (
    SealKeys,
    bytes_reserved,
    certificate_fingerprint,
    forget_authority,
    seal_keys,
    timestamper,
    tsa_trust_roots,
)
from realisa.lib.aio import outside_running_loop

logger = logging.getLogger(__name__)

LEVEL_B_B = "B-B"
LEVEL_B_T = "B-T"
# A4 is 595 × 842 pt: a 225 × 70 pt box at the bottom right, inside a 35 pt margin.
DEFAULT_BOX = (335, 40, 560, 110)
TSA_ERRORS = (timestamps.TimestampRequestError, SigningError, OSError)


@dataclass(frozen=True)
class SealAppearance:
    """What the seal shows on the page: the organisation's stamp and who signed, when."""

    signer_name: str
    organisation: str
    stamp_png: bytes | None = None
    box: tuple[int, int, int, int] = DEFAULT_BOX
    page: int = 0

    def caption(self, when: datetime) -> str:
        """« Signé électroniquement par <name> pour <organisation>, le <date> »."""
        return self.lines(when).replace("\n", " ")

    def lines(self, when: datetime) -> str:
        """The caption cut into short lines, so that it stays legible in a small box."""
        moment = timezone.localtime(when).strftime("%d/%m/%Y à %H:%M")
        who = f"par {self.signer_name}\npour {self.organisation},"
        return f"Signé électroniquement\n{who}\nle {moment}"


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (e.g. ``preuve.json``, the evidence)."""

    name: str
    data: bytes
    mime: str = "application/octet-stream"
    description: str | None = None


@dataclass(frozen=True)
class TimestampInfo:
    tsa_url: str
    time: datetime
    tsa_subject: str


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
    )
    embed.embed_file(writer, spec)


@dataclass(frozen=True)
class _SealJob:
    pdf_bytes: bytes
    appearance: SealAppearance | None
    reason: str
    organisation: str
    attachments: tuple[Attachment, ...]

    def run(self, keys: SealKeys, timestamper: timestamps.HTTPTimeStamper | None) -> SealResult:
        reserved = bytes_reserved(keys, timestamper)
        sealed, signed_at, signature = outside_running_loop(
            asyncio.run, self._sign(keys, timestamper, reserved)
        )
        signer_info = signature["content"]["signer_infos"][0]
        stamp = _timestamp_info(signer_info, timestamper.url) if timestamper else None
        return SealResult(
            pdf=sealed,
            signed_at=signed_at,
            level=LEVEL_B_T if stamp else LEVEL_B_B,
            certificate_fingerprint=keys.fingerprint,
            certificate_subject=keys.subject,
            timestamp=stamp,
        )

    async def _sign(
        self, keys: SealKeys, timestamper: timestamps.HTTPTimeStamper | None, reserved: int
    ) -> tuple[bytes, datetime, cms.ContentInfo]:
        """pyHanko's signing steps, as ``PdfSigner.async_sign_pdf`` runs them, minus the
        size estimation (``reserved`` is measured once), keeping the CMS it produced.

        PAdES has no signing time in the CMS: it is the signature dictionary's /M, written
        to the second from the session's clock; the caption shows the same moment.
        """
        writer = IncrementalPdfFileWriter(io.BytesIO(self.pdf_bytes))
        for attachment in self.attachments:
            _embed(writer, attachment)
        session = self._pdf_signer(keys, timestamper).init_signing_session(writer)
        signed_at = session.system_time.replace(microsecond=0)
        look = self.appearance
        tbs = session.prepare_tbs_document(
            validation_info=None,
            bytes_reserved=reserved,
            appearance_text_params={"text": look.lines(signed_at) if look else ""},
        )
        digest, output = tbs.digest_tbs_document()
        signed = await tbs.perform_signature(
            document_digest=digest.document_digest,
            pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=session.system_time),
        )
        await signed.post_signature_processing(output)
        output.seek(0)
        return output.read(), signed_at, cms.ContentInfo.load(signed.sig_contents)

    def _pdf_signer(
        self, keys: SealKeys, timestamper: timestamps.HTTPTimeStamper | None
    ) -> signers.PdfSigner:
        field_name = f"Sceau-{uuid.uuid4().hex[:12]}"
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=self.reason,
            name=self.organisation,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        look = self.appearance
        spec = fields.SigFieldSpec(
            field_name, on_page=look.page if look else 0, box=look.box if look else None
        )
        return signers.PdfSigner(
            meta,
            keys.signer,
            timestamper=timestamper,
            stamp_style=_stamp_style(look.stamp_png if look else None),
            new_field_spec=spec,
        )


def _stamp_style(stamp_png: bytes | None) -> TextStampStyle:
    """The organisation's stamp on the left of the box, the caption on the right."""
    background = None
    if stamp_png:
        background = images.PdfImage(_stamp_image(stamp_png))
    return TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=text.TextBoxStyle(font_size=8, leading=10),
        border_width=0,
        background=background,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=2, right=2, top=2, bottom=2),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=76, right=2, top=2, bottom=2),
        ),
    )


@lru_cache(maxsize=16)
def _stamp_image(stamp_png: bytes) -> Image.Image:
    """The stamp decoded and reduced once: 160 px is sharp enough for a 70 pt box."""
    image = Image.open(io.BytesIO(stamp_png))
    image.thumbnail((160, 160))
    return image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image


def _timestamp_info(signer_info: cms.SignerInfo, url: str) -> TimestampInfo | None:
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


# -- Verification ----------------------------------------------------------------------


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

    @property
    def level(self) -> str:
        return LEVEL_B_T if self.timestamp_time else LEVEL_B_B

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


def verify_pdf(pdf_bytes: bytes) -> VerificationResult:
    """Check every signature of ``pdf_bytes`` against the portal's trust root(s)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = reader.embedded_regular_signatures
        checks = tuple(_check(signature) for signature in embedded)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        logger.info("Vérification impossible : %r", error)
        return VerificationResult(
            error="Ce fichier n'est pas un PDF lisible ou son sceau est abîmé."
        )
    return VerificationResult(signatures=checks)


def _check(signature: EmbeddedPdfSignature) -> SignatureCheck:
    roots = list(seal_keys().trust_roots)
    status = outside_running_loop(
        validate_pdf_signature,
        signature,
        signer_validation_context=ValidationContext(trust_roots=roots),
        ts_validation_context=ValidationContext(trust_roots=roots + tsa_trust_roots()),
    )
    stamp = status.timestamp_validity
    sig_object = signature.sig_object
    return SignatureCheck(
        field_name=str(signature.field_name),
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        entire_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signing_time=status.signer_reported_dt,
        signer_subject=str(status.signing_cert.subject.human_friendly),
        signer_fingerprint=certificate_fingerprint(status.signing_cert),
        organisation=str(sig_object.get("/Name", "")),
        reason=str(sig_object.get("/Reason", "")),
        timestamp_time=stamp.timestamp if stamp else None,
        timestamp_ok=stamp.trusted if stamp else None,
    )


def _french_moment(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y à %H:%M:%S")


def _timestamp_label(check: SignatureCheck) -> str:
    if check.timestamp_time is None:
        return "aucun (PAdES B-B : date déclarée par le portail)"
    validity = "valide" if check.timestamp_ok else "non valide ou non reconnu"
    return f"{_french_moment(check.timestamp_time)}, {validity} (PAdES B-T)"
