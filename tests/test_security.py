"""Security checks that cut across every app (docs/security.md): headers and CSP, templates fit for
that CSP, cookies and sessions, CSRF, password hashing, uploads, Excel formula injection and logs.

Two-factor login is in test_security_totp.py, API token scope in test_security_tokens.py and the
API fuzzing in test_api_schemathesis.py.
"""

import io
import json
import logging
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiangzhen.accounts.tests.factories import PASSWORD
from xiangzhen.core import attachments, excel
from xiangzhen.core.errors import ValidationFailed
from xiangzhen.demands.tests.factories import DemandFactory

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xiangzhen"

# ---------------------------------------------------------------- templates fit for a CSP without 'unsafe-inline'


def template_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("templates/**/*.html"))


INLINE_STYLE = re.compile(r"""<[a-zA-Z][^>]*\sstyle\s*=""", re.S)
INLINE_HANDLER = re.compile(r"""<[a-zA-Z][^>]*\son[a-z]+\s*=""", re.S)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def inline_code(text: str) -> list[str]:
    """What a CSP of script-src 'self'; style-src 'self' would refuse in this template."""
    found = []
    for pattern, what in [
        (INLINE_STYLE, "style attribute"),
        (INLINE_HANDLER, "on* handler"),
        (STYLE_ELEMENT, "<style> element"),
        (JS_URL, "javascript: URL"),
    ]:
        found += [f"{what}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        # External scripts are allowed; JSON data blocks (json_script) are not executed.
        if "src=" not in attributes and "application/json" not in attributes:
            found.append(f"inline <script>: {match.group(0)}")
    return found


def test_the_scanner_finds_what_the_csp_would_block():
    bad = (
        '<div style="color:red"></div><select onchange="go()"></select><style>p{}</style>'
        '<script>alert(1)</script><a href="javascript:void(0)">x</a>'
    )
    assert len(inline_code(bad)) == 5
    good = (
        '<script src="/static/x.js" defer></script><script id="d" type="application/json">{}</script>'
        '<button aria-controls="menu" data-style="x">ok</button>'
    )
    assert inline_code(good) == []


def test_no_template_has_inline_script_style_or_handlers():
    offenders = {
        str(path.relative_to(ROOT)): found for path in template_files() if (found := inline_code(path.read_text()))
    }
    assert template_files(), "no templates found"
    assert offenders == {}, "move these to xiangzhen/static/xiangzhen/site.css or a .js file"


def test_static_javascript_injects_no_style_elements_or_attributes():
    for path in (PACKAGE / "static" / "xiangzhen").glob("*.js"):
        if path.name.endswith(".min.js"):
            continue  # vendored: checked by the browser test of the dashboards
        text = path.read_text()
        assert 'createElement("style")' not in text and 'el("style"' not in text, path.name
        assert 'setAttribute("style"' not in text and "setAttribute('style'" not in text, path.name


# ---------------------------------------------------------------- headers


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
def test_pages_send_the_content_security_policy_and_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert sorted(policy["img-src"]) == sorted(["'self'", "data:"])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_responses_carry_the_headers_too(client):
    response = client.get("/api/v1/regions/")
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


def production_settings(**env: str) -> dict[str, object]:
    """The settings module as production would load it (a fresh interpreter, so env is read anew)."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SESSION_COOKIE_HTTPONLY",
        "XIANGZHEN_STAFF_2FA",
    ]
    code = f"import json, xiangzhen.settings as s;print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_SECURE", "XIANGZHEN_SESSION"))}
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean | env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_switch_turns_on_https_hsts_and_secure_cookies():
    values = production_settings(DJANGO_SECURE="1", DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    development = production_settings()
    assert development["SECURE_SSL_REDIRECT"] is False and development["SECURE_HSTS_SECONDS"] == 0
    assert development["SESSION_COOKIE_SECURE"] is False


def test_session_lifetime_comes_from_the_environment():
    assert production_settings()["SESSION_COOKIE_AGE"] == 8 * 3600
    values = production_settings(XIANGZHEN_SESSION_HOURS="2", XIANGZHEN_SESSION_EXPIRE_AT_BROWSER_CLOSE="0")
    assert values["SESSION_COOKIE_AGE"] == 2 * 3600
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is False
    assert production_settings()["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert production_settings()["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.django_db
def test_https_is_enforced_with_hsts_when_secure(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get(reverse("accounts:login"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # The probes on the host itself (plain HTTP) are not redirected.
    assert client.get("/healthz").status_code == 200


# ---------------------------------------------------------------- cookies, sessions, CSRF, passwords


@pytest.mark.django_db
def test_session_cookie_is_http_only_and_same_site(client, county_official):
    response = client.post(reverse("accounts:login"), {"username": county_official.username, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_secure_cookies_when_secure(client, county_official, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    login = client.get(reverse("accounts:login"))
    assert login.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
    response = client.post(reverse("accounts:login"), {"username": county_official.username, "password": PASSWORD})
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


@pytest.mark.django_db
def test_session_expires(client, county_official):
    client.post(reverse("accounts:login"), {"username": county_official.username, "password": PASSWORD})
    assert client.get(reverse("accounts:tokens")).status_code == 200
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    # Nine hours later (the session's expiry passed): the same cookie no longer signs in.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_posts_without_csrf_token_are_refused(county_official):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("accounts:login"), {"username": county_official.username, "password": PASSWORD})
    assert response.status_code == 403
    browser.force_login(county_official)
    assert browser.post(reverse("accounts:tokens"), {"name": "无令牌"}).status_code == 403
    api = browser.post("/api/v1/accounts/tokens", {"name": "无令牌"}, content_type="application/json")
    assert api.status_code in (401, 403)


FORM_BLOCK = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def test_every_post_form_carries_the_csrf_token():
    missing = []
    for path in template_files():
        for form in FORM_BLOCK.findall(path.read_text()):
            opening = form[: form.index(">") + 1].lower()
            if re.search(r"""method\s*=\s*["']?post""", opening) and "csrf_token" not in form:
                missing.append(f"{path.relative_to(ROOT)}: {opening[:100]}")
    assert missing == []


def test_production_hashes_passwords_with_argon2():
    # The test suite swaps in a cheaper Argon2 (conftest); production's list is read from the module.
    import xiangzhen.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_stored_password_is_argon2id(county_official):
    assert county_official.password.startswith("argon2$argon2id$")


# ---------------------------------------------------------------- uploads


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.mark.django_db
def test_upload_checks_size_kind_and_content():
    demand = DemandFactory(status="draft")
    attached = attachments.attach(actor=None, owner=demand, upload=upload("现场.png", PNG, "image/png"))
    assert attached.content_type == "image/png"
    cases = [
        (upload("病毒.jpg", EXE, "image/jpeg"), "内容与扩展名不符"),  # a renamed .exe
        (upload("假.webp", b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 16), "内容与扩展名不符"),
        (upload("setup.exe", EXE), "格式不支持"),
        (upload("空.pdf", b""), "空文件"),
        (upload("大.pdf", b"%PDF" + b"0" * attachments.MAX_BYTES), "超过 10 MB"),
    ]
    for bad, message in cases:
        with pytest.raises(ValidationFailed) as caught:
            attachments.attach(actor=None, owner=demand, upload=bad)
        assert message in caught.value.message, bad.name
        assert caught.value.errors[0].field == "attachments"
    webp = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
    assert attachments.attach(actor=None, owner=demand, upload=upload("图.webp", webp)).content_type == "image/webp"


@pytest.mark.django_db
def test_renamed_executable_is_refused_over_the_api_in_chinese(client, village_submitter):
    demand = DemandFactory(status="draft")
    client.force_login(village_submitter)
    response = client.post(f"/api/v1/demands/{demand.pk}/attachments", {"files": [upload("照片.jpg", EXE)]})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "照片.jpg" in response.json()["detail"] and "内容与扩展名不符" in response.json()["detail"]


@pytest.mark.django_db
def test_too_large_upload_is_refused_over_the_api_in_chinese(client, village_submitter, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 1024)  # the rule, not 10 MB of test data
    demand = DemandFactory(status="draft")
    client.force_login(village_submitter)
    response = client.post(
        f"/api/v1/demands/{demand.pk}/attachments", {"files": [upload("大图.png", PNG + b"\x00" * 2048)]}
    )
    assert response.status_code == 422
    assert "超过 10 MB" in response.json()["detail"]


@pytest.mark.django_db
def test_too_large_import_is_refused_in_chinese(client, county_official, monkeypatch):
    from xiangzhen.core import uploads

    monkeypatch.setattr(uploads, "MAX_IMPORT_BYTES", 100)
    client.force_login(county_official)
    big = upload("需求.xlsx", b"PK\x03\x04" + b"0" * 200)
    response = client.post("/api/v1/demands/import/preview", {"file": big})
    assert response.status_code == 422
    assert "文件不超过 5 MB" in response.json()["detail"]


# ---------------------------------------------------------------- Excel formula injection


INJECTIONS = ['=HYPERLINK("http://evil","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_every_risky_text_cell_is_written_as_text():
    workbook, sheet = excel.new_sheet("测试")
    sheet.append([*INJECTIONS, "普通文字", -5, 3.5, "1-2"])
    book = load_workbook(io.BytesIO(excel.to_bytes(workbook)))
    cells = next(iter(book.active.iter_rows()))
    for cell in cells[: len(INJECTIONS)]:
        assert cell.data_type == "s" and cell.quotePrefix, repr(cell.value)
    assert [c.value for c in cells[: len(INJECTIONS)]] == INJECTIONS  # the text itself is unchanged
    assert [c.value for c in cells[len(INJECTIONS) :]] == ["普通文字", -5, 3.5, "1-2"]
    assert not any(c.quotePrefix for c in cells[len(INJECTIONS) :])


def test_neutralising_covers_every_sheet():
    workbook, first = excel.new_sheet("一")
    second = workbook.create_sheet("二")
    first["A1"] = "=1+1"
    second["C3"] = "=cmd|' /C calc'!A0"
    assert excel.neutralise_formulas(workbook) == 2
    book = load_workbook(io.BytesIO(excel.to_bytes(workbook)))
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


# Writing a workbook anywhere but core/excel.py would bypass the neutralising.
WORKBOOK_WRITERS = re.compile(r"\bWorkbook\(|save_workbook|xlsxwriter|\bwb\.save\(|workbook\.save\(")


def test_every_export_goes_through_the_one_writer():
    bypassing = []
    builders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in rel or rel == "core/excel.py":
            continue
        text = path.read_text()
        bypassing += [f"{rel}: {m.group(0)}" for m in WORKBOOK_WRITERS.finditer(text)]
        if "new_sheet(" in text:
            builders.append(rel)
            assert "to_bytes(" in text, f"{rel} builds a workbook but never turns it into bytes with to_bytes"
    assert bypassing == []
    assert len(builders) > 15  # the exports are found at all


def url_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, str]]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith(("api/", "admin/")):
                found += url_routes(entry, route)
        elif isinstance(entry, URLPattern) and "export" in route and "<" not in route:
            found.append(("/" + route, route))
    return found


def api_exports() -> list[str]:
    from xiangzhen.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return sorted(p for p, methods in schema["paths"].items() if "export" in p and "{" not in p and "get" in methods)


@pytest.mark.django_db
def test_exports_of_hostile_text_open_as_text(client, platform_admin, county_official):
    """Every export without a path parameter, as a platform admin, with a record whose text is a formula."""
    from xiangzhen.organizations.tests.factories import OrganizationFactory

    OrganizationFactory(name='=HYPERLINK("http://evil","花垣")', region_id="433124000000", status="approved")
    DemandFactory(title="=1+1", status="published")
    client.force_login(platform_admin)
    paths = [path for path, _ in url_routes()] + api_exports()
    assert len(paths) > 20
    checked = 0
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or "spreadsheetml" not in response.get("Content-Type", ""):
            continue
        book = load_workbook(io.BytesIO(response.content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{path}: formula in {sheet.title}!{cell.coordinate}"
                    if isinstance(cell.value, str) and cell.value.startswith(excel.FORMULA_STARTS):
                        assert cell.quotePrefix, f"{path}: {cell.coordinate} {cell.value!r}"
        checked += 1
    assert checked > 15


# ---------------------------------------------------------------- no personal data in logs


@pytest.mark.django_db
def test_no_personal_data_in_logs(client, county_official, caplog):
    from xiangzhen.monitoring.tests import factories as monitoring

    caplog.set_level(logging.DEBUG)
    household = monitoring.make_household(county_official)
    client.force_login(county_official)
    api = "/api/v1/monitoring"
    assert client.get(f"{api}/{household.pk}?reveal=true").status_code == 200
    assert client.get(f"{api}/").status_code == 200
    assert client.get(f"{api}/export").status_code == 200
    assert client.get(reverse("monitoring:detail", args=[household.pk]) + "?reveal=1").status_code == 200
    # A refused write with personal data in its body, and a search by a name.
    body = monitoring.household_data().__dict__ | {"identified_on": "2026-01-05", "income_per_capita": "不是数字"}
    assert client.post(f"{api}/", body, content_type="application/json").status_code == 422
    client.get(f"{api}/?q={monitoring.HEAD_NAME}")
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert caplog.records, "nothing was logged at all: the check would prove nothing"
    for secret in [monitoring.HEAD_NAME, monitoring.HEAD_ID, monitoring.HEAD_PHONE, monitoring.MEMBER_NAME,
                   monitoring.MEMBER_ID]:  # fmt: skip
        assert secret not in text, secret
