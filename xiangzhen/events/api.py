"""The events API (/api/v1/events): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["活动与会展"])
