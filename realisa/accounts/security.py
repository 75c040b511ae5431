"""Every login, logout, failure and lockout is recorded, with the client's IP.

These are receivers of Django's and django-axes's authentication signals: they only
record, they change no state (apart from noting the login time in the session). They
write to the connection log (``ConnectionEvent``), which lives apart from the chained
evidence log so that its 12-month purge never breaks the chain.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out  # type: ignore[import-untyped]
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from realisa.accounts.middleware import mark_login
from realisa.audit.events import ConnectionAction
from realisa.audit.log import record_connection


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_login(request)
    record_connection(ConnectionAction.LOGIN, user=user, request=request)


def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_connection(ConnectionAction.LOGOUT, user=user, request=request)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record_connection(ConnectionAction.LOGIN_FAILED, username=username, request=request)


def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    record_connection(ConnectionAction.LOCKED_OUT, username=username or "", request=request)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="realisa.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="realisa.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="realisa.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="realisa.audit.locked_out")
