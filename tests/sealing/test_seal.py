"""Every sealed PDF passes pdfsig and pyHanko; one flipped byte fails both."""

from __future__ import annotations

import io
from typing import Any

import pypdf

from realisa.demo.files import stamp_png
from realisa.documents.sealing import (
    DEFAULT_BOX,
    LEVEL_B_B,
    Attachment,
    SealAppearance,
    SealResult,
    embed_file,
    seal_pdf,
    verify_pdf,
)
from realisa.documents.sealing_keys import seal_keys
from tests.sealing.conftest import PDF_TEXT

LOOK = SealAppearance("Marie Dupont", "Formapro Est", stamp_png("Formapro Est", "Metz"))


def seal(pdf: bytes, appearance: SealAppearance | None = LOOK, **extra: Any) -> SealResult:
    return seal_pdf(
        pdf,
        appearance=appearance,
        reason="Certification des heures de mars 2025",
        organisation="Formapro Est",
        **extra,
    )


def flip_a_byte_of_the_page_text(pdf: bytes) -> bytes:
    position = pdf.index(PDF_TEXT.encode()) + 2  # inside the first signed range
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]


def test_a_sealed_pdf_passes_pdfsig(pdf: bytes, pdfsig: Any) -> None:
    report = pdfsig(seal(pdf).pdf)

    assert "Signature is Valid" in report
    assert "Total document signed" in report
    assert "Certificate is Trusted" in report


def test_a_sealed_pdf_is_intact_valid_and_trusted_for_pyhanko(pdf: bytes) -> None:
    result = verify_pdf(seal(pdf).pdf)

    assert result.ok, result.message
    (check,) = result.signatures
    assert check.intact and check.valid and check.trusted and check.entire_document
    assert check.organisation == "Formapro Est"
    assert check.reason == "Certification des heures de mars 2025"
    assert check.signer_fingerprint == seal_keys().fingerprint
    assert check.level == LEVEL_B_B and check.timestamp_time is None
    assert result.message == "Le sceau électronique est valide : le document n'a pas changé depuis."


def test_an_invisible_seal_is_valid_too(pdf: bytes, pdfsig: Any) -> None:
    sealed = seal(pdf, appearance=None).pdf

    assert "Signature is Valid" in pdfsig(sealed)
    assert verify_pdf(sealed).ok


def test_one_flipped_byte_fails_pdfsig_and_pyhanko(pdf: bytes, pdfsig: Any) -> None:
    tampered = flip_a_byte_of_the_page_text(seal(pdf).pdf)

    assert "Signature is Valid" not in pdfsig(tampered)
    result = verify_pdf(tampered)
    assert not result.ok
    assert result.signatures[0].intact is False
    assert "Le document a été modifié après le scellement." in result.signatures[0].problems()
    assert result.message == "Le sceau électronique n'est pas valide."


def test_content_added_after_the_seal_is_reported(pdf: bytes, pdfsig: Any) -> None:
    sealed = seal(pdf).pdf
    extended = embed_file(sealed, name="ajout.txt", data=b"ajout", mime="text/plain")

    assert "Total document signed" not in pdfsig(extended)
    check = verify_pdf(extended).signatures[0]
    assert check.intact and not check.entire_document and not check.ok


def test_the_result_gives_what_the_evidence_needs(pdf: bytes) -> None:
    result = seal(pdf)

    assert result.level == LEVEL_B_B
    assert result.timestamp is None and result.fallback_reason is None
    assert result.certificate_fingerprint == seal_keys().fingerprint
    assert verify_pdf(result.pdf).signatures[0].signing_time == result.signed_at
    evidence = result.evidence()
    assert evidence["niveau"] == "PAdES B-B"
    assert evidence["certificat_empreinte_sha256"] == result.certificate_fingerprint
    assert evidence["date_signature"] == result.signed_at.isoformat()


def test_the_appearance_shows_the_stamp_and_who_signed_when(pdf: bytes) -> None:
    result = seal(pdf)

    widget = _signature_widget(result.pdf)
    assert [round(float(v)) for v in widget["/Rect"]] == list(DEFAULT_BOX)
    appearance = widget["/AP"]["/N"].get_object()
    shown = [  # each line in the embedded font's glyphs, marked with the words it shows
        str(operands[1]["/ActualText"])
        for operands, operator in pypdf.generic.ContentStream(appearance, None).operations
        if operator == b"BDC" and "/ActualText" in operands[1]
    ]
    assert shown == LOOK.lines(result.signed_at).split("\n")
    assert " ".join(shown).startswith("Signé électroniquement par Marie Dupont pour Formapro Est")
    images = [
        x.get_object()
        for x in appearance["/Resources"]["/XObject"].values()
        if x.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the organisation's stamp is drawn in the seal"


def test_the_caption_reads_as_the_issue_says(pdf: bytes) -> None:
    result = seal(pdf)
    caption = LOOK.caption(result.signed_at)

    assert caption.startswith("Signé électroniquement par Marie Dupont pour Formapro Est, le ")
    assert " à " in caption


def test_an_embedded_file_is_kept_and_covered_by_the_seal(pdf: bytes) -> None:
    with_evidence = embed_file(
        pdf, name="preuve.json", data=b'{"ok": true}', mime="application/json"
    )
    sealed = seal(with_evidence).pdf

    assert pypdf.PdfReader(io.BytesIO(sealed)).attachments["preuve.json"] == [b'{"ok": true}']
    assert verify_pdf(sealed).ok


def test_attachments_can_go_in_the_sealed_revision(pdf: bytes, pdfsig: Any) -> None:
    proof = Attachment("preuve.json", b'{"heures": 42}', "application/json", "Dossier de preuve")
    sealed = seal(pdf, attachments=(proof,)).pdf

    assert pypdf.PdfReader(io.BytesIO(sealed)).attachments["preuve.json"] == [b'{"heures": 42}']
    assert "Total document signed" in pdfsig(sealed)
    assert verify_pdf(sealed).ok


def _signature_widget(sealed: bytes) -> Any:
    page = pypdf.PdfReader(io.BytesIO(sealed)).pages[0]
    widgets = [a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    assert len(widgets) == 1
    return widgets[0]
