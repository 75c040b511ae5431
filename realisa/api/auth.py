"""The API's one way in: ``Authorization: Bearer <personal token>``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from realisa.api.problems import ApiProblem
from realisa.api.tokens import find_token, log_use, within_rate


class TokenAuth(HttpBearer):
    """Finds the token, counts it against its rate, logs its use, and makes the request
    act as its user: every service and ``visible_to`` then sees exactly that person."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        if found is None:
            return None
        if not within_rate(found):
            raise ApiProblem(
                429,
                "trop-de-requetes",
                "Trop de requêtes avec ce jeton : réessayez dans une minute.",
            )
        log_use(found, request)
        request.user = found.user
        return found
