"""The sealed certificate's tests: certification 2's world (an online-ready organisation,
March's hours entered, the clock at a known moment), each test sealing with its own CA."""

from tests.online.conftest import clock, entered, ready  # noqa: F401 (fixtures)
from tests.sealing.conftest import pdfsig, signing_settings  # noqa: F401 (fixtures)
