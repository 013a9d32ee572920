"""The pairings API (/api/v1/pairings): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["结对帮扶"])
