"""The monitoring API (/api/v1/monitoring): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["防止返贫监测"])
