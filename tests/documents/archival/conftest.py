"""Certification 2's world (tests/online/conftest.py), each test sealing with its own CA."""

from tests.online.conftest import clock, entered, ready  # noqa: F401 (fixtures)
from tests.sealing.conftest import pdfsig, signing_settings  # noqa: F401 (fixtures)
