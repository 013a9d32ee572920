"""No monitored household ever reaches the transparency log or a page anyone can open unsigned."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from xiangzhen.core.crypto import mask_id_number, mask_phone
from xiangzhen.monitoring import services
from xiangzhen.monitoring.tests.factories import (
    HEAD_ID,
    HEAD_NAME,
    HEAD_PHONE,
    MEMBER_ID,
    MEMBER_NAME,
    assistance_data,
    grant,
    make_household,
)
from xiangzhen.tlog.models import LogEntry

pytestmark = pytest.mark.django_db


def parameterless_pages(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith(("api/", "admin/", "static", "media")):
                found.extend(parameterless_pages(entry, route))
        elif isinstance(entry, URLPattern) and "<" not in route and not re.search(r"[\^$\\(]", route):
            found.append("/" + route)
    return found


def test_no_household_field_in_tlog_or_public_pages(client, county_official, organization, org_admin):
    household = make_household(county_official)
    grant(county_official, household, organization)
    services.record_assistance(
        actor=org_admin, household=household, organization_id=organization.pk, data=assistance_data(what="助学金")
    )
    services.close_household(
        actor=county_official, household=household, status="risk_eliminated", on=household.identified_on,
        reason="风险已消除",
    )  # fmt: skip
    secrets = [household.number, HEAD_NAME, HEAD_ID, HEAD_PHONE, MEMBER_NAME, MEMBER_ID, mask_id_number(HEAD_ID),
               mask_phone(HEAD_PHONE), "助学金"]  # fmt: skip
    leaves = " ".join(LogEntry.objects.values_list("leaf", flat=True))
    numbers = " ".join(LogEntry.objects.values_list("number", flat=True))
    for secret in secrets:
        assert secret not in leaves and secret not in numbers
    pages = parameterless_pages()
    assert "/tlog/" in pages and "/demands/public/" in pages and "/api/v1/tlog/entries" not in pages
    read = 0
    for url in [*pages, "/api/v1/tlog/entries", "/api/v1/demands/public"]:
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(("text/", "application/")):
            continue
        read += 1
        body = response.content.decode(errors="ignore")
        for secret in secrets:
            assert secret not in body, (url, secret)
    assert read >= 15  # the public libraries, the log and its exports were really read
