"""A request id for every request: taken from ``X-Request-ID`` when a trusted proxy sets
it (letters, digits, dashes), made up otherwise, sent back in the response, and added to
every log line written while the request is served, its « Not Found » line included."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response

request_id: ContextVar[str] = ContextVar("request_id", default="-")
task_id: ContextVar[str] = ContextVar("task_id", default="-")  # a Celery task's (celery.py)
VALID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        value = given if VALID.match(given) else uuid.uuid4().hex
        token = request_id.set(value)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs an error response (« Not Found: /x ») once every middleware
                # has returned, when the id is gone: log it here, with the id, as Django
                # would; Django then sees it logged and does not log it again.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        return True
