"""The evaluation API (/api/v1/evaluation): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["评估评价"])
