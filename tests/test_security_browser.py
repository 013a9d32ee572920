"""The pages under the Content-Security-Policy in a real browser: nothing refused, charts drawn.

The template scan in test_security.py keeps inline code out of the markup; this catches what only
a browser sees — a script that injects a <style> element or a style attribute, a vendored library
that evaluates strings — by listening for `securitypolicyviolation` events on real pages.
"""

import pytest

from conftest import HUNAN

pytestmark = pytest.mark.e2e

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


@pytest.fixture
def staff_page(page, live_server, regions_loaded, taxonomies, settings, tmp_path):
    from django.test import Client

    from xiangzhen.accounts.models import Department
    from xiangzhen.accounts.tests.factories import staff

    settings.VAR_DIR = tmp_path
    client = Client()
    client.force_login(staff(Department.Kind.RURAL_REVITALIZATION, HUNAN, username="hn_xc_csp"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page.add_init_script(LISTEN)
    yield page, live_server.url


@pytest.fixture
def taxonomies(regions_loaded):
    import importlib

    from django.apps import apps

    importlib.import_module("xiangzhen.core.migrations.0002_taxonomies").seed(apps, None)


def violations(page) -> list[str]:
    page.wait_for_timeout(300)  # events are dispatched asynchronously after the refusal
    return page.evaluate("window.__cspViolations")


def test_pages_run_under_the_policy_without_violations(staff_page):
    page, base = staff_page
    for path in ["/", "/stats/", "/stats/public/", "/regions/designations/", "/accounts/tokens/", "/demands/"]:
        response = page.goto(base + path)
        assert response is not None and response.status < 400, path
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    # The listener does hear a refusal: an inline script added now is blocked and reported.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    assert any("script-src" in v for v in violations(page))


def test_charts_are_drawn_under_the_policy(staff_page):
    page, base = staff_page
    page.goto(base + "/stats/public/")
    canvases = page.locator(".chart-canvas")
    if canvases.count() == 0:
        pytest.skip("no chart on the public statistics page")
    page.wait_for_function("() => document.querySelector('.chart-canvas canvas, .chart-canvas svg') !== null")
    box = canvases.first.bounding_box()
    assert box is not None and box["height"] > 100  # the height comes from site.css now
    assert violations(page) == []


def test_language_switch_works_without_an_inline_handler(staff_page):
    page, base = staff_page
    page.goto(base + "/accounts/tokens/")
    page.select_option("#lang", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations(page) == []
