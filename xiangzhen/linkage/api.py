"""The linkage API (/api/v1/linkage): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["五社联动"])
