"""A loopback RFC 3161 time-stamping authority for the tests: ``openssl ts`` on 127.0.0.1.

The authority (its own test root, its timeStamping certificate, OpenSSL's configuration,
the HTTP server) is ``bench/loopback_tsa.py``'s, which the benchmarks share. Use::

    def test_something(settings, loopback_tsa):
        settings.SIGNING_TSA_URL = loopback_tsa.url
        settings.SIGNING_TSA_ROOTS_FILE = str(loopback_tsa.roots_file)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench.loopback_tsa import LoopbackTSA


@pytest.fixture(scope="session")
def loopback_tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackTSA]:
    """One authority for the whole session; its requests are counted from the start."""
    with LoopbackTSA(tmp_path_factory.mktemp("loopback-tsa")) as tsa:
        yield tsa


def use_loopback_tsa(settings: Any, tsa: LoopbackTSA, *, archival: bool) -> None:
    """Seal with ``tsa``: B-LTA when ``archival``, else B-LT."""
    settings.SIGNING_TSA_URL = tsa.url
    settings.SIGNING_TSA_ROOTS_FILE = str(tsa.roots_file)
    settings.SIGNING_PADES_LTA = archival
