"""The training API (/api/v1/training): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["能力建设"])
