"""Checking a certificate offline, with nothing but the file and the portal's root.

``check_certificate`` is what ``realisa-verify`` prints and what the public verification
page shows: the seal (pyHanko's validation against the given root: integrity, trust,
coverage, PAdES level), the PDF/A markers, the embedded ``certificat.json`` against the
page's own text, the QR code's signed payload against both, and, when the full evidence
file is at hand, its SHA-256 against the one the certificate names. Each finding is said
in French and in English.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pypdf
import pypdfium2
import zxingcpp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from pyhanko.pdf_utils.reader import PdfFileReader

from realisa.documents import qr_payload
from realisa.documents.record import RECORD_JSON
from realisa.documents.seal_verification import VerificationResult, verify_pdf
from realisa.lib.hours import format_minutes

SHARED_JSON = "preuve.json"
FULL_EVIDENCE = "dossier_de_preuve_complet"
PDFAID = re.compile(rb"pdfaid:part(?:>|=\")(\d)")
PDFAID_CONFORMANCE = re.compile(rb"pdfaid:conformance(?:>|=\")([ABU])")
SCALE = 200 / 72  # the page drawn at 200 dpi, as the paper batch reads its scans


@dataclass(frozen=True)
class Finding:
    """One check: ``ok`` is None when it could not be made here (said, not failed)."""

    name: str
    ok: bool | None
    fr: str
    en: str


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    seal: VerificationResult | None = None  # each signature's details, for the page

    @property
    def ok(self) -> bool:
        return all(finding.ok is not False for finding in self.findings)

    @property
    def verdict(self) -> tuple[str, str]:
        return ("valide", "valid") if self.ok else ("invalide", "invalid")

    def as_dict(self) -> dict[str, Any]:
        fr, en = self.verdict
        return {
            "valide": self.ok,
            "verdict": fr,
            "verdict_en": en,
            "controles": [asdict(finding) for finding in self.findings],
        }


def check_certificate(
    pdf: bytes,
    roots: Sequence[asn1_x509.Certificate],
    *,
    evidence: bytes | None = None,
) -> Report:
    """Every check of ``pdf`` against ``roots``; ``evidence``: the full evidence file."""
    seal = verify_pdf(pdf, trust_roots=roots)
    if seal.error:
        return Report((_seal(seal),), seal)
    record, record_finding = _record(pdf)
    findings = [_seal(seal), _pdfa(pdf), record_finding]
    if record is not None:
        findings.append(_qr(pdf, record))
    findings.append(_evidence(pdf, evidence))
    return Report(tuple(findings), seal)


def check_photo(
    image: Any, roots: Sequence[asn1_x509.Certificate], seal_certificate: x509.Certificate
) -> Report:
    """A photo (or a scan) of a printed certificate: its QR payload, checked with the
    portal's published seal certificate, itself checked against ``roots``."""
    issued = any(_issued_by(seal_certificate, root) for root in roots)
    if not issued:
        return Report((Finding("cachet", False, UNTRUSTED_SEAL_FR, UNTRUSTED_SEAL_EN),))
    trusted = Finding("cachet", True, "Certificat du sceau reconnu.", "Seal certificate trusted.")
    try:
        payload = payload_in_photo(image, seal_certificate)
    except qr_payload.PayloadError as error:
        return Report((trusted, Finding("qr", False, str(error), "No valid signed QR payload.")))
    hours = ", ".join(
        format_minutes(minutes)
        for minutes in (payload.centre_minutes, payload.internship_minutes, payload.absence_minutes)
    )
    return Report(
        (
            trusted,
            Finding(
                "qr",
                True,
                f"Code QR signé : certificat {payload.reference}, dossier {payload.dossier}, "
                f"mois {payload.month}, centre, stage, absence : {hours}"
                f"{' (provisoire)' if payload.draft else ''}.",
                f"Signed QR payload: certificate {payload.reference}, dossier "
                f"{payload.dossier}, month {payload.month}, centre, internship, absence: "
                f"{hours}{' (draft)' if payload.draft else ''}.",
            ),
        )
    )


UNTRUSTED_SEAL_FR = "Le certificat du sceau donné n'est pas émis par la racine donnée."
UNTRUSTED_SEAL_EN = "The seal certificate given is not issued by the root given."


def _issued_by(certificate: x509.Certificate, root: asn1_x509.Certificate) -> bool:
    issuer = x509.load_der_x509_certificate(root.dump())
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def payload_in_photo(image: Any, certificate: x509.Certificate) -> qr_payload.Payload:
    """The signed payload of the certificate's QR code in ``image`` (a photo of the page,
    turned or scaled as a phone takes it), checked with ``certificate``."""
    tokens = printed_tokens(image)
    if not tokens:
        raise qr_payload.PayloadError(
            "Aucun code QR de certificat lisible sur cette image : photographiez le code QR "
            "de face, net et en entier."
        )
    return qr_payload.verify(tokens[0], certificate)


def _seal(result: VerificationResult) -> Finding:
    if result.error:
        return Finding(
            "lecture", False, result.error, "Not a readable PDF, or its seal is damaged."
        )
    if not result.signatures:
        return Finding("sceau", False, result.message, "The document carries no seal.")
    problems = [p for check in result.signatures for p in check.problems()]
    levels = ", ".join(sorted({f"PAdES {check.level}" for check in result.signatures}))
    if problems:
        return Finding("sceau", False, " ".join(problems), "The seal is not valid.")
    return Finding(
        "sceau",
        True,
        f"Sceau valide, reconnu, couvrant tout le document ({levels}).",
        f"Seal valid, trusted, covering the whole document ({levels}).",
    )


def _pdfa(pdf: bytes) -> Finding:
    metadata = _catalogue(pdf).get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata is not None else b""
    part, conformance = PDFAID.search(xmp), PDFAID_CONFORMANCE.search(xmp)
    if not (part and conformance):
        return Finding("pdfa", False, "Pas de marque PDF/A.", "No PDF/A identification.")
    label = f"PDF/A-{part[1].decode()}{conformance[1].decode().lower()}"
    return Finding("pdfa", True, f"Marqué {label}.", f"Marked {label}.")


def _record(pdf: bytes) -> tuple[bytes | None, Finding]:
    """``certificat.json``, and whether the page shows its reference and hours."""
    attached = pypdf.PdfReader(io.BytesIO(pdf)).attachments.get(RECORD_JSON)
    if not attached:
        return None, Finding("donnees", False, f"Pas de {RECORD_JSON}.", f"No {RECORD_JSON}.")
    record = attached[0]
    facts = json.loads(record)
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    hours = facts["heures_minutes"]
    shown = [facts["reference"], facts["dossier"]] + [
        format_minutes(hours[key]) for key in ("presence_centre", "presence_stage", "absence")
    ]
    missing = [value for value in shown if value not in text]
    if missing:
        return record, Finding(
            "donnees",
            False,
            f"{RECORD_JSON} ne dit pas ce que dit la page (absent de la page : "
            f"{', '.join(missing)}).",
            f"{RECORD_JSON} disagrees with the page (not on the page: {', '.join(missing)}).",
        )
    return record, Finding(
        "donnees",
        True,
        f"{RECORD_JSON} dit ce que dit la page (référence, dossier, heures).",
        f"{RECORD_JSON} agrees with the page (reference, dossier, hours).",
    )


def _qr(pdf: bytes, record: bytes) -> Finding:
    token = _printed_token(pdf)
    if token is None:
        return Finding("qr", False, "Code QR signé illisible.", "Signed QR payload not found.")
    certificate = _signer_certificate(pdf)
    if certificate is None:
        return Finding("qr", None, "Code QR signé, sans sceau pour le vérifier.", "No seal.")
    try:
        payload = qr_payload.verify(token, certificate)
    except qr_payload.PayloadError as error:
        return Finding("qr", False, str(error), "The QR payload's signature is not the seal's.")
    if payload != qr_payload.Payload.from_record(record):
        return Finding(
            "qr",
            False,
            f"Le code QR signé ne dit pas ce que dit {RECORD_JSON}.",
            f"The signed QR payload disagrees with {RECORD_JSON}.",
        )
    return Finding(
        "qr",
        True,
        f"Code QR signé par le sceau ; il désigne ce {RECORD_JSON} et ses heures.",
        f"QR payload signed by the seal; it names this {RECORD_JSON} and its hours.",
    )


def printed_tokens(image: Any) -> list[str]:
    """The signed payloads of the QR codes of ``image`` (a page, or a photo of one)."""
    return [
        code.text.split("#", 1)[1]
        for code in zxingcpp.read_barcodes(image)
        if code.format == zxingcpp.BarcodeFormat.QRCode and "#" in code.text
    ]


def _printed_token(pdf: bytes) -> str | None:
    document = pypdfium2.PdfDocument(pdf)
    try:
        tokens = printed_tokens(document[0].render(scale=SCALE).to_pil())
    finally:
        document.close()
    return tokens[0] if tokens else None


def _signer_certificate(pdf: bytes) -> x509.Certificate | None:
    """The seal's certificate, as the first signature carries it (the seal check above
    says whether it chains to the root); None for a file without a seal."""
    signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures
    if not signatures:
        return None
    return x509.load_der_x509_certificate(signatures[0].signer_cert.dump())


def _evidence(pdf: bytes, evidence: bytes | None) -> Finding:
    attached = pypdf.PdfReader(io.BytesIO(pdf)).attachments.get(SHARED_JSON)
    named = json.loads(attached[0]).get(FULL_EVIDENCE, {}).get("sha256") if attached else None
    if named is None:
        return Finding("preuve", None, "Pas de dossier de preuve désigné.", "No evidence named.")
    if evidence is None:
        return Finding(
            "preuve",
            None,
            f"Dossier de preuve complet désigné par son SHA-256 {named} (fichier non fourni).",
            f"Full evidence named by its SHA-256 {named} (file not given).",
        )
    if hashlib.sha256(evidence).hexdigest() != named:
        return Finding(
            "preuve",
            False,
            "Le dossier de preuve fourni n'est pas celui que désigne le certificat.",
            "The evidence file given is not the one the certificate names.",
        )
    return Finding("preuve", True, "Dossier de preuve complet conforme.", "Full evidence matches.")


def _catalogue(pdf: bytes) -> Any:
    return pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
