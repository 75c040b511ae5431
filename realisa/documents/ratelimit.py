"""A small per-address limit on the public verification page, kept in Django's cache."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from realisa.lib.client_ip import client_ip

LOOKUPS = 20
WINDOW_SECONDS = 10 * 60
MESSAGE = (
    "Trop de vérifications ont été demandées depuis votre adresse. Réessayez dans quelques minutes."
)


def allow_lookup(request: HttpRequest, scope: str = "verify") -> bool:
    """Count one lookup for the request's address; False past LOOKUPS in the window.

    The window starts with the first lookup and lasts WINDOW_SECONDS (a fixed window:
    simple, and enough to make guessing references pointless).
    """
    key = f"documents:ratelimit:{scope}:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        return True
    return count <= LOOKUPS
