"""Personal data shown only in part."""

from __future__ import annotations


def mask_email(address: str) -> str:
    """« n***@demo.realisa.localhost »: enough for the person to recognise it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
