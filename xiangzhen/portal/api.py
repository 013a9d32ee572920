"""The portal API (/api/v1/portal): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["信息发布"])
