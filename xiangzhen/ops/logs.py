"""Structured logs: one JSON object per line, selected by XIANGZHEN_LOG_FORMAT=json.

Every line carries the id of the request it was written during (see `middleware.py`), so the
access line and any warning a view logs can be joined. Only fields the code chose to log appear:
an access line holds the route name, never the path or query string, and the user's id, never a
username, name, phone or ID number.
"""

import contextvars
import datetime
import json
import logging
from typing import Any

# The id of the request being handled in this thread or task; "" outside a request.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("xiangzhen_request_id", default="")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", ...extra}` on one line, UTF-8 as is."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current:
            entry["request_id"] = current
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to records for the plain text format (`%(request_id)s`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        return True
