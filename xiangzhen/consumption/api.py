"""The consumption API (/api/v1/consumption): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["消费帮扶"])
