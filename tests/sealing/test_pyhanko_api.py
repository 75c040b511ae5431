"""The seal goes through pyHanko's public API: its validator accepts it, the key is loaded
and the signature's room measured once per process, and it works under a running loop."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from realisa.demo.files import stamp_png
from realisa.documents.sealing import Attachment, SealAppearance, SealResult, seal_pdf
from realisa.documents.sealing_keys import seal_keys, tsa_trust_roots
from tests.sealing.conftest import LocalTSA

LOOK = SealAppearance("Marie Dupont", "Formapro Est", stamp_png("Formapro Est", "Metz"))
PROOF = Attachment("preuve.json", b'{"heures": 42}', "application/json", "Dossier de preuve")


def seal(pdf: bytes) -> SealResult:
    return seal_pdf(
        pdf, appearance=LOOK, reason="Essai", organisation="Formapro Est", attachments=[PROOF]
    )


def pyhanko_status(sealed: bytes) -> Any:
    """pyHanko's own verdict, without ``verify_pdf``: the portal's roots, nothing fetched."""
    (signature,) = PdfFileReader(io.BytesIO(sealed)).embedded_regular_signatures
    roots = list(seal_keys().trust_roots)
    return validate_pdf_signature(
        signature,
        signer_validation_context=ValidationContext(trust_roots=roots),
        ts_validation_context=ValidationContext(trust_roots=roots + tsa_trust_roots()),
    )


def test_pyhankos_validator_accepts_the_seal(pdf: bytes) -> None:
    status = pyhanko_status(seal(pdf).pdf)

    assert status.bottom_line, status.pretty_print_details()
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.timestamp_validity is None


def test_pyhankos_validator_accepts_a_b_t_seal(settings: Any, tsa: LocalTSA, pdf: bytes) -> None:
    settings.SIGNING_TSA_URL = tsa.url
    settings.SIGNING_TSA_ROOTS_FILE = str(tsa.roots_file)

    status = pyhanko_status(seal(pdf).pdf)

    assert status.bottom_line, status.pretty_print_details()
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted


def test_the_key_is_loaded_once_and_the_room_measured_once(
    pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads, estimates, reserved = [], [], []
    real_load = signers.SimpleSigner.load_pkcs12_data.__func__  # type: ignore[attr-defined]
    real_estimate = PdfSigningSession.estimate_signature_container_size
    real_sign = signers.PdfSigner.sign_pdf

    def counting_load(cls: Any, *args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return real_load(cls, *args, **kwargs)

    async def counting_estimate(self: Any, *args: Any, **kwargs: Any) -> Any:
        estimates.append(1)
        return await real_estimate(self, *args, **kwargs)

    def recording_sign(self: Any, *args: Any, **kwargs: Any) -> Any:
        reserved.append(kwargs["bytes_reserved"])
        return real_sign(self, *args, **kwargs)

    monkeypatch.setattr(signers.SimpleSigner, "load_pkcs12_data", classmethod(counting_load))
    monkeypatch.setattr(PdfSigningSession, "estimate_signature_container_size", counting_estimate)
    monkeypatch.setattr(signers.PdfSigner, "sign_pdf", recording_sign)
    results = [seal(pdf) for _ in range(3)]

    assert len(loads) == 1  # the PKCS#12 is parsed by the first seal only
    assert len(estimates) == 1  # pyHanko's dry run, once: later seals reserve its room
    assert reserved[0] is None and reserved[1] == reserved[2] == seal_keys().rooms[""] > 0
    assert all(pyhanko_status(result.pdf).bottom_line for result in results)


def test_a_seal_made_under_a_running_event_loop_is_valid(pdf: bytes) -> None:
    """An async server calls ``seal_pdf`` from its loop, where ``asyncio.run`` would refuse."""

    async def in_the_loop() -> SealResult:
        return seal(pdf)

    result = asyncio.run(in_the_loop())

    assert pyhanko_status(result.pdf).bottom_line
