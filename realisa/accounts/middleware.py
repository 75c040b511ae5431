"""How long a session lives: 30 minutes without a request, 12 hours after login at most.

The idle limit is SESSION_COOKIE_AGE: each time the session is saved, its expiry moves
30 minutes on. Rather than saving it on every request (SESSION_SAVE_EVERY_REQUEST),
which writes the session row for each image or file a page loads, and makes those
parallel writes collide, the session is touched at most once a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LOGIN_AT = "realisa_login_at"
SEEN_AT = "realisa_seen_at"
TOUCH_EVERY = 60  # seconds: the precision of the 30-minute idle limit


def mark_login(request: HttpRequest) -> None:
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = float(request.session.get(LOGIN_AT, now))
            if now - started > settings.SESSION_MAX_LIFETIME:
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous.")
            elif now - float(request.session.get(SEEN_AT, 0)) >= TOUCH_EVERY:
                request.session.setdefault(LOGIN_AT, now)  # a session older than this rule
                request.session[SEEN_AT] = now  # saved: the idle expiry moves 30 min on
        return self.get_response(request)
