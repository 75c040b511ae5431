"""Long-term signatures: every seal carries its DSS; a « hard-fail », offline validator
(pyHanko, nothing fetched) finds B-B+DSS, B-LT and B-LTA valid, trusted and LTV-enabled."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore

from bench.loopback_tsa import LoopbackTSA
from realisa.documents.seal_ltv import long_term_check
from realisa.documents.sealing import (
    LEVEL_B_B,
    LEVEL_B_LT,
    LEVEL_B_LTA,
    SealResult,
    seal_pdf,
    verify_pdf,
)
from realisa.documents.sealing_keys import seal_keys
from tests.tsa import loopback_tsa, use_loopback_tsa

__all__ = ["loopback_tsa"]  # the session fixture, imported to be found

AFTER_THE_SEAL_EXPIRED = timedelta(days=365 * 11)  # the local seal certificate: 10 years


def seal(pdf: bytes) -> SealResult:
    return seal_pdf(pdf, appearance=None, reason="Essai", organisation="Formapro Est")


@pytest.fixture(params=["B-B", "B-LT", "B-LTA"])
def sealed(request: Any, settings: Any, loopback_tsa: LoopbackTSA, pdf: bytes) -> SealResult:
    if request.param != "B-B":
        use_loopback_tsa(settings, loopback_tsa, archival=request.param == "B-LTA")
    result = seal(pdf)
    assert result.level == request.param and result.fallback_reason is None
    return result


def test_every_seal_is_valid_trusted_and_ltv_enabled_offline(sealed: SealResult) -> None:
    check = long_term_check(sealed.pdf)

    assert check.intact and check.valid and check.trusted, check
    assert check.ltv and check.level == sealed.level


def test_the_dss_holds_the_chain_and_the_cas_crl(sealed: SealResult) -> None:
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(sealed.pdf)))

    certificates = {c.sha256 for c in dss.load_certs()}
    keys = seal_keys()
    assert {keys.certificate.sha256, keys.trust_roots[0].sha256} <= certificates
    assert len(dss.crls) == 1
    if sealed.level != LEVEL_B_B:  # the authority's chain too
        assert len(certificates) >= 4


def test_verify_pdf_reports_the_level(sealed: SealResult) -> None:
    check = verify_pdf(sealed.pdf).signatures[0]

    assert check.ok, check.problems()
    assert check.level == sealed.level


def test_a_flipped_byte_is_invalid(sealed: SealResult) -> None:
    tampered = sealed.pdf.replace(b"(Essai)", b"(Essaj)", 1)
    assert tampered != sealed.pdf

    check = long_term_check(tampered)

    assert not check.intact and not check.ok


def test_without_its_dss_a_seal_is_not_ltv(sealed: SealResult) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed.pdf))
    del writer.root["/DSS"]
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]

    check = long_term_check(out.getvalue())

    assert check.intact and check.valid
    assert not check.ltv  # and, « hard-fail » without the CRL, the chain is not trusted
    assert not check.trusted


def test_after_the_seal_expired_only_b_lta_stays_valid(sealed: SealResult) -> None:
    with time_machine.travel(timezone.now() + AFTER_THE_SEAL_EXPIRED):
        check = long_term_check(sealed.pdf)

    if sealed.level == LEVEL_B_LTA:  # the document time-stamp proves it existed in time
        assert check.ok and check.ltv and check.checked_at is not None
    else:
        assert check.intact and check.valid and not check.trusted and not check.ok


def test_b_lt_and_b_lta_differ_by_the_document_timestamp(
    settings: Any, loopback_tsa: LoopbackTSA, pdf: bytes
) -> None:
    use_loopback_tsa(settings, loopback_tsa, archival=False)
    lt = PdfFileReader(io.BytesIO(seal(pdf).pdf))
    use_loopback_tsa(settings, loopback_tsa, archival=True)
    lta = PdfFileReader(io.BytesIO(seal(pdf).pdf))

    assert len(lt.embedded_timestamp_signatures) == 0
    assert len(lta.embedded_timestamp_signatures) == 1
    assert LEVEL_B_LT != LEVEL_B_LTA
