"""B-LT against a local time-stamping authority; B-B, said so, when it does not answer."""

from __future__ import annotations

import socket
from typing import Any

from realisa.documents.sealing import LEVEL_B_B, LEVEL_B_LT, SealResult, seal_pdf, verify_pdf
from tests.sealing.conftest import LocalTSA


def seal(pdf: bytes) -> SealResult:
    return seal_pdf(pdf, appearance=None, reason="Essai", organisation="Formapro Est")


def use_tsa(settings: Any, tsa: LocalTSA) -> None:
    settings.SIGNING_TSA_URL = tsa.url
    settings.SIGNING_TSA_ROOTS_FILE = str(tsa.roots_file)
    settings.SIGNING_PADES_LTA = False  # B-LT: the document time-stamp is tests/sealing/test_ltv


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nobody listens there any more: connection refused


def test_with_a_tsa_the_seal_is_b_lt(settings: Any, tsa: LocalTSA, pdf: bytes, pdfsig: Any) -> None:
    use_tsa(settings, tsa)

    result = seal(pdf)

    assert result.level == LEVEL_B_LT and result.fallback_reason is None
    assert result.timestamp is not None
    assert result.timestamp.tsa_url == tsa.url
    assert "Horodatage de test" in result.timestamp.tsa_subject
    assert abs((result.timestamp.time - result.signed_at).total_seconds()) < 60
    assert set(tsa.requests) == {"application/timestamp-query"}
    assert result.evidence()["horodatage_date"] == result.timestamp.time.isoformat()
    report = pdfsig(result.pdf)
    assert "Signature is Valid" in report and "Total document signed" in report


def test_a_b_lt_seal_verifies_with_its_timestamp(settings: Any, tsa: LocalTSA, pdf: bytes) -> None:
    use_tsa(settings, tsa)
    stamped = seal(pdf)

    check = verify_pdf(stamped.pdf).signatures[0]

    assert check.ok, check.problems()
    assert check.level == LEVEL_B_LT and check.timestamp_ok is True
    assert stamped.timestamp is not None and check.timestamp_time == stamped.timestamp.time
    assert dict(check.rows())["Horodatage"].endswith("valide (PAdES B-LT)")


def test_a_timestamp_from_an_unknown_authority_is_not_accepted(
    settings: Any, tsa: LocalTSA, pdf: bytes
) -> None:
    use_tsa(settings, tsa)
    stamped = seal(pdf).pdf
    settings.SIGNING_TSA_ROOTS_FILE = ""

    check = verify_pdf(stamped).signatures[0]

    assert check.timestamp_ok is False and not check.ok
    assert "L'horodatage du sceau n'est pas valide ou pas reconnu." in check.problems()


def test_when_the_tsa_is_down_the_seal_is_b_b_and_says_why(
    settings: Any, pdf: bytes, pdfsig: Any
) -> None:
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{a_closed_port()}/tsa"

    result = seal(pdf)

    assert result.level == LEVEL_B_B and result.timestamp is None
    assert result.fallback_reason is not None
    assert "n'a pas répondu après 2 essais" in result.fallback_reason
    assert "scellé au niveau B-B" in result.fallback_reason
    assert result.evidence()["horodatage_absent_motif"] == result.fallback_reason
    assert result.evidence()["horodatage_date"] is None
    check = verify_pdf(result.pdf).signatures[0]
    assert check.ok and check.timestamp_time is None
    assert "Signature is Valid" in pdfsig(result.pdf)


def test_a_tsa_refusing_every_request_is_tried_twice(
    settings: Any, tsa: LocalTSA, pdf: bytes
) -> None:
    use_tsa(settings, tsa)
    tsa.failures_left = 99

    result = seal(pdf)

    assert result.level == LEVEL_B_B and result.fallback_reason
    assert len(tsa.requests) == 2


def test_a_tsa_failing_once_is_retried(settings: Any, tsa: LocalTSA, pdf: bytes) -> None:
    use_tsa(settings, tsa)
    tsa.failures_left = 1

    result = seal(pdf)

    assert result.level == LEVEL_B_LT and result.fallback_reason is None
