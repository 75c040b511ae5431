"""Names of stored files: random, so that a name never tells what a file is or whose."""

import secrets
from pathlib import PurePath
from typing import Any


def private_name(folder: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def logo_path(instance: Any, filename: str) -> str:
    return private_name("logos", filename)


def stamp_path(instance: Any, filename: str) -> str:
    return private_name("stamps", filename)


def certifier_document_path(instance: Any, filename: str) -> str:
    return private_name("certifier-documents", filename)


def signed_scan_path(instance: Any, filename: str) -> str:
    return private_name("signed-scans", filename)


def attendance_sheet_path(instance: Any, filename: str) -> str:
    return private_name("attendance-sheets", filename)
