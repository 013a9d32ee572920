"""The brands API (/api/v1/brands): thin wiring from HTTP to selectors and services."""

from ninja import Router

router = Router(tags=["公益品牌与典型案例"])
