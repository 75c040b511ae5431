"""What the verification page learns from an uploaded PDF, in French."""

from __future__ import annotations

from django.utils.timezone import localtime

from realisa.documents.sealing import seal_pdf, verify_pdf


def test_a_pdf_without_a_seal_says_so(pdf: bytes) -> None:
    result = verify_pdf(pdf)

    assert not result.ok and result.signatures == () and result.error is None
    assert result.message == "Ce document ne porte aucun sceau électronique."


def test_a_file_that_is_not_a_pdf_is_refused_plainly() -> None:
    result = verify_pdf(b"ceci n'est pas un PDF")

    assert not result.ok
    assert result.message == "Ce fichier n'est pas un PDF lisible ou son sceau est abîmé."


def test_a_truncated_sealed_pdf_is_not_accepted(pdf: bytes) -> None:
    sealed = seal_pdf(pdf, appearance=None, reason="Essai", organisation="Formapro Est").pdf

    assert not verify_pdf(sealed[: len(sealed) // 2]).ok


def test_the_page_gets_french_labels_for_each_signature(pdf: bytes) -> None:
    sealed = seal_pdf(pdf, appearance=None, reason="Certification", organisation="Formapro Est")

    rows = dict(verify_pdf(sealed.pdf).signatures[0].rows())

    assert rows["Intégrité"] == "document intact"
    assert rows["Signature"] == "valide"
    assert rows["Certificat"] == "reconnu (sceau du portail)"
    assert rows["Couverture"] == "tout le document"
    assert rows["Scellé pour"] == "Formapro Est"
    assert rows["Motif"] == "Certification"
    assert rows["Horodatage"] == "aucun (PAdES B-B : date déclarée par le portail)"
    assert rows["Empreinte SHA-256 du certificat"] == sealed.certificate_fingerprint
    assert rows["Date du sceau"] == localtime(sealed.signed_at).strftime("%d/%m/%Y à %H:%M:%S")
