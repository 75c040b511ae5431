"""The portal's settings, plus one minimal view to compare the pages with (bench only)."""

from realisa.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
