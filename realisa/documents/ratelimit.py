"""A small per-address limit on the public verification page, shared by every process."""

from __future__ import annotations

from django.http import HttpRequest

from realisa.accounts import ratelimit
from realisa.lib.client_ip import client_ip

LOOKUPS = 20
WINDOW_SECONDS = 10 * 60
MESSAGE = (
    "Trop de vérifications ont été demandées depuis votre adresse. Réessayez dans quelques minutes."
)


def allow_lookup(request: HttpRequest, scope: str = "verify") -> bool:
    """Count one lookup for the request's address; False past LOOKUPS in the window.

    A fixed window of WINDOW_SECONDS: simple, and enough to make guessing references
    pointless.
    """
    subject = client_ip(request) or "unknown"
    return ratelimit.within(f"documents:{scope}", subject, limit=LOOKUPS, seconds=WINDOW_SECONDS)
