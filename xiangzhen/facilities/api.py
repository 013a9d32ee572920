"""The facilities API (/api/v1/facilities): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["四小建设"])
