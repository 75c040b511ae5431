"""Role gates for views. Anonymous users go to the login page; a wrong role gets 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from realisa.accounts.models import User

View = Callable[..., HttpResponseBase]


def _role_required(allowed: Callable[[object], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorator


of_admin_required = _role_required(lambda user: bool(getattr(user, "is_of_admin", False)))
of_member_required = _role_required(lambda user: bool(getattr(user, "is_of_member", False)))
agent_required = _role_required(lambda user: bool(getattr(user, "is_agent", False)))


def current_user(request: HttpRequest) -> User:
    """The logged-in user, typed (views behind the gates above only)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
