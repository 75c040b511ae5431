"""One root for every refusal of the portal, with the French reason people read.

A service raises one of the three kinds; pages and the API each map them to HTTP once
(403 or 404, 409, 400), so no view guesses a status code.
"""

from __future__ import annotations


class Refused(Exception):
    """A step was refused; ``message`` says why, in French."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(Refused):
    """This person may not do this (403; 404 when they must not learn the object exists)."""


class Conflict(Refused):
    """The object's current state does not allow it (409): certified meanwhile, stale form…"""


class Invalid(Refused):
    """What was typed or sent breaks a rule (400); ``errors`` maps a field to its message."""

    def __init__(self, message: str = "", errors: dict[str, str] | None = None) -> None:
        super().__init__(message or " ".join((errors or {}).values()))
        self.errors = errors or {}
