"""The campaigns API (/api/v1/campaigns): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["专项行动"])
