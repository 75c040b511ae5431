"""Log lines as JSON objects, one a line, for a log collector: the portal's (and Celery's,
and gunicorn's errors) through ``JsonFormatter``, gunicorn's access lines through
``AccessJsonFormatter``."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime


def head(record: logging.LogRecord) -> dict[str, object]:
    """What every line starts with: the time in UTC, the level and the logger."""
    return {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
        "level": record.levelname,
        "logger": record.name,
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            **head(record),
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        task = getattr(record, "task_id", "-")
        if task != "-":  # a line written by a Celery task
            entry["task_id"] = task
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class AccessJsonFormatter(logging.Formatter):
    """gunicorn's access lines (``gunicorn.conf.py``) in the same JSON: the method, the path
    without its query string (a search may hold a name), the status, the bytes sent, the
    duration and the request id the portal answered with (``X-Request-ID``)."""

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, Mapping) else {}
        entry = {
            **head(record),
            "method": atoms.get("m", "-"),
            "path": atoms.get("U", "-"),
            "status": _number(atoms.get("s")),
            "bytes": _number(atoms.get("B")),
            "duration_ms": round(_number(atoms.get("D")) / 1000, 1),
            "request_id": atoms.get("{x-request-id}o", "-"),
        }
        return json.dumps(entry, ensure_ascii=False)


def _number(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
