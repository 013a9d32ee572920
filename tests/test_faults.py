"""Faults (issue 9): a worker killed mid-request, a full task queue, an import interrupted half-way.

Each must end with no lost and no half-written records, a clear error for the person who was
waiting, and the transparency-log verifier still passing. Restarting PostgreSQL under load is the
load test's part (bench/loadtest.py), never a test's: other work shares the server.

The kill tests need the database reachable from other processes (gunicorn, `manage.py shell`):
on PostgreSQL that is the test database itself; on SQLite, whose test database lives in this
process's memory, the `served_db` fixture copies it to a file and points this process at the file
for the length of the test. Waiting for another process is done by polling what it is doing
(`pg_locks`, its current system call, a line it prints) under a generous deadline that only
guards against a hang: no assertion here depends on timing.

What survives each fault is written up in docs/faults.md.
"""

import fcntl
import http.client
import importlib
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from conftest import HUAYUAN, ROLE_MAKERS, load_regions, make_org_admin, make_organization
from xiangzhen.accounts.services import create_api_token
from xiangzhen.core.models import AuditEntry
from xiangzhen.core.uploads import INTERRUPTED
from xiangzhen.demands import excel as demand_excel
from xiangzhen.demands import services as demand_services
from xiangzhen.demands.models import Demand
from xiangzhen.funds import excel as fund_excel
from xiangzhen.funds import services as fund_services
from xiangzhen.funds.models import Donation, Fund, JournalEntry
from xiangzhen.funds.validation import FundData
from xiangzhen.offers import excel as offer_excel
from xiangzhen.offers import services as offer_services
from xiangzhen.offers.models import Offer
from xiangzhen.regions.models import Region
from xiangzhen.tlog import conf, verify
from xiangzhen.tlog import services as tlog_services
from xiangzhen.tlog.models import LogEntry

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
GUNICORN = shutil.which("gunicorn", path=str(VENV_BIN)) or shutil.which("gunicorn")
# The longest we wait for another process before calling the test hung (never reached when healthy).
HANG = 90.0
NEXT_YEAR = timezone.localdate().year + 1

# x86_64 and aarch64 numbers of nanosleep / clock_nanosleep: SQLite's busy handler sleeps in one.
SLEEP_SYSCALLS = {"x86_64": {35, 230}, "aarch64": {101, 115}}


# ---------------------------------------------------------------- waiting on other processes


def wait_for(what: str, condition: Callable[[], Any], deadline: float = HANG, explain: Callable[[], str] = str) -> Any:
    """Poll until `condition()` is truthy and return it; fail naming `what` if it never is."""
    end = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}. {explain()}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> set[int]:
    """The live child processes of `pid`, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def sleeping_in_sqlite_busy_handler(pid: int, database: Path) -> bool:
    """The process has the database file open and sits in a sleep call: SQLite's busy handler
    waiting for the write lock (a gunicorn sync worker otherwise waits in select, never sleeps)."""
    try:
        opened = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        call = Path(f"/proc/{pid}/syscall").read_text().split()[0]
    except (OSError, ValueError):
        return False
    return str(database) in opened and call.isdigit() and int(call) in SLEEP_SYSCALLS.get(os.uname().machine, set())


# ---------------------------------------------------------------- the database other processes see


@dataclass
class ServedDatabase:
    url: str  # DATABASE_URL for another process
    path: Path | None  # the SQLite file, None on PostgreSQL

    @property
    def postgres(self) -> bool:
        return self.path is None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "xiangzhen.settings",
            "TLOG_SIGNING_KEY": str(settings.TLOG_SIGNING_KEY),
            "DJANGO_LOG_LEVEL": "ERROR",
            "XIANGZHEN_ACCESS_LOG_LEVEL": "WARNING",
        }

    def second_connection(self) -> Any:
        """A raw connection of this test's own, outside Django, to hold locks with."""
        if self.path is not None:
            return sqlite3.connect(self.path, isolation_level=None, timeout=HANG)
        import psycopg

        s = connection.settings_dict
        return psycopg.connect(
            dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None, host=s["HOST"], port=s["PORT"] or None
        )

    def backend_gone(self, pid: int) -> bool:
        """The PostgreSQL backend of a killed client has rolled back and exited."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            return cursor.fetchone()[0] == 0


@pytest.fixture
def served_db(transactional_db: None, tmp_path: Path) -> Iterator[ServedDatabase]:
    """The test database, reachable by other processes, with the taxonomies the migrations put there
    (an earlier transactional test's flush removes them, and pytest-django serializes the database
    only for tests marked for it) and the region tree."""
    connection.ensure_connection()
    importlib.import_module("xiangzhen.core.migrations.0002_taxonomies").seed(django_apps, None)
    if connection.vendor != "sqlite":
        if not Region.objects.exists():
            load_regions()
        s = connection.settings_dict
        user = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
        url = f"postgres://{user}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
        yield ServedDatabase(url=url, path=None)
        return
    # The in-memory test database is copied to a file and this thread's connection moved onto it;
    # `memory` keeps the in-memory database alive (it vanishes with its last connection).
    path = tmp_path / "faults.sqlite3"
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    original = connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        connection.ensure_connection()
        if not Region.objects.exists():
            load_regions()
        # The server's settings make its transactions IMMEDIATE, so it waits for the test's lock.
        yield ServedDatabase(url=f"sqlite:///{path}", path=path)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        connection.connection = memory


def tallies() -> dict[str, int]:
    """Row counts of everything a donation, an import or a push writes."""
    return {
        "donations": Donation.objects.count(),
        "journal": JournalEntry.objects.count(),
        "log": LogEntry.objects.count(),
        "audit": AuditEntry.objects.count(),
        "demands": Demand.objects.count(),
        "offers": Offer.objects.count(),
    }


def audit_over_http(base: str) -> subprocess.CompletedProcess[str]:
    """`xiangzhen-verify audit` as a donor would run it: another process, only the URL and the key."""
    tlog_services.publish_checkpoint(actor=None)
    verifier = shutil.which("xiangzhen-verify", path=str(VENV_BIN))
    command = [verifier] if verifier else [sys.executable, "-m", "xiangzhen.tlog.verify"]
    return subprocess.run(
        [*command, "audit", "--url", f"{base}/api/v1/tlog", "--key", conf.verifier_key().text()],
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )


def audit_in_process() -> list[verify.Problem]:
    """The verifier's audit through the test client (the platform's public API, in this process)."""
    tlog_services.publish_checkpoint(actor=None)
    client = Client()

    def fetch(url: str) -> tuple[int, bytes]:
        response = client.get(url)
        return response.status_code, response.content

    problems, _summary = verify.audit(
        verify.ApiSource("/api/v1/tlog", fetch), verify.load_key(conf.verifier_key().text())
    )
    return problems


# ---------------------------------------------------------------- a fund to donate to


def active_fund() -> tuple[Fund, Any]:
    organization = make_organization()
    admin = make_org_admin(organization)
    reviewer = ROLE_MAKERS["county_civil_affairs"]()
    data = FundData(
        name="花垣县乡村振兴教育专项基金",
        founder_kind="individual",
        founder_name="龙大山",
        purpose="资助十八洞村及周边留守儿童的课后辅导和阅读。",
        domains=["education"],
        target_regions=[HUAYUAN],
    )
    fund = fund_services.create_fund(actor=admin, organization=organization, data=data)
    fund_services.submit_fund(actor=admin, fund=fund)
    fund = fund_services.approve_fund(actor=reviewer, fund=fund)
    assert fund.status == Fund.Status.ACTIVE
    return fund, admin


# ---------------------------------------------------------------- 1. a worker killed mid-request


@dataclass
class Gunicorn:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> set[int]:
        return children(self.process.pid)

    def answers(self) -> bool:
        try:
            status, _ = request(self.port, "GET", "/healthz")
        except OSError:
            return False
        return status == 200

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def request(port: int, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, bytes]:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG)
    try:
        client.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


@contextmanager
def gunicorn(db: ServedDatabase, tmp_path: Path) -> Iterator[Gunicorn]:
    """One sync worker on a free loopback port, on the served database; stopped afterwards."""
    assert GUNICORN is not None
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                GUNICORN, "xiangzhen.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                "--worker-class", "sync", "--timeout", "300", "--graceful-timeout", "5", "--chdir", str(ROOT),
            ],
            env=db.env(), stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip
    server = Gunicorn(process, port, log)
    try:
        wait_for("gunicorn to answer /healthz", lambda: process.poll() is None and server.answers())
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class InFlight(threading.Thread):
    """A request sent from another thread, so the test can act while the server is inside it."""

    def __init__(self, port: int, path: str, body: Any, token: str) -> None:
        super().__init__(daemon=True)
        self.args_ = (port, "POST", path, body, token)
        self.result: tuple[int, bytes] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = request(*self.args_)  # type: ignore[arg-type]
        except BaseException as exc:
            self.error = exc


@pytest.mark.skipif(GUNICORN is None, reason="gunicorn is not installed (it is in requirements.lock: make install)")
def test_a_worker_killed_mid_donation_writes_nothing_and_the_same_request_then_succeeds_once(
    served_db: ServedDatabase, tmp_path: Path
) -> None:
    fund, admin = active_fund()
    _token, secret = create_api_token(actor=admin, name="故障测试：银行对账程序", scope="write")
    path = f"/api/v1/funds/{fund.pk}/donations"
    body = {
        "donor_kind": "individual",
        "donor_name": "石爱心",
        "amount": "1000.00",
        "donated_on": timezone.localdate().isoformat(),
        "channel": "bank",
        "receipt_number": "FAULT-KILL-0001",
    }
    with gunicorn(served_db, tmp_path) as server:
        # A first call marks the token used, so the donation POST writes nothing outside its own transaction.
        status, _ = request(server.port, "GET", f"/api/v1/funds/{fund.pk}", token=secret)
        assert status == 200, server.output()
        [worker] = server.workers()
        before = tallies()

        holder = served_db.second_connection()
        if served_db.postgres:
            # EXCLUSIVE lets reads through and stops the first write to donations: the worker's
            # transaction has already posted the journal entry when it blocks.
            holder.execute("BEGIN")
            holder.execute("LOCK TABLE funds_donation IN EXCLUSIVE MODE")
        else:
            holder.execute("BEGIN IMMEDIATE")
        in_flight = InFlight(server.port, path, body, secret)
        in_flight.start()
        if served_db.postgres:
            blocked = "SELECT pid FROM pg_locks WHERE relation = 'funds_donation'::regclass AND NOT granted"
            [backend] = wait_for("the worker to block on funds_donation", lambda: holder.execute(blocked).fetchone())
            # Its transaction holds uncommitted writes at that moment: the journal entry.
            wrote = "SELECT 1 FROM pg_locks WHERE pid = %s AND relation = 'funds_journalentry'::regclass"
            assert holder.execute(wrote, [backend]).fetchone()
        else:
            assert served_db.path is not None
            wait_for(
                "the worker to wait for SQLite's write lock",
                lambda: sleeping_in_sqlite_busy_handler(worker, served_db.path),  # type: ignore[arg-type]
                explain=lambda: f"request: {in_flight.result or in_flight.error!r}; server: {server.output()}",
            )
        os.kill(worker, signal.SIGKILL)
        in_flight.join(HANG)
        holder.rollback() if served_db.postgres else holder.execute("ROLLBACK")
        holder.close()
        if served_db.postgres:
            wait_for("the killed worker's backend to roll back", lambda: served_db.backend_gone(backend))

        # The client was told: its connection closed with no answer (behind nginx: a 502).
        assert not in_flight.is_alive()
        assert in_flight.result is None and isinstance(in_flight.error, (ConnectionError, http.client.HTTPException))
        # Nothing of the donation exists: no row, no journal entry, no log leaf, no audit entry.
        assert tallies() == before
        assert not Donation.objects.filter(receipt_number="FAULT-KILL-0001").exists()

        # The master replaced the worker; sending the same request again records it exactly once.
        wait_for("gunicorn to start a new worker", lambda: server.workers() - {worker} and server.answers())
        status, content = request(server.port, "POST", path, body, secret)
        assert status == 201, content.decode()
        number = json.loads(content)["number"]
        status, content = request(server.port, "POST", path, body, secret)
        assert status == 422 and "请勿重复登记" in content.decode()
        after = tallies()
        assert after["donations"] == before["donations"] + 1
        assert after["journal"] == before["journal"] + 1
        assert after["log"] == before["log"] + 1
        assert Donation.objects.get(receipt_number="FAULT-KILL-0001").number == number
        assert LogEntry.objects.filter(number=number).count() == 1

        # A donor's verifier, with only the URL and the published key, still finds the log whole.
        result = audit_over_http(server.base)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "审计通过" in result.stdout


# ---------------------------------------------------------------- 2. a full task queue


PUSH = "xiangzhen.notifications.tasks.push_demand_published"
DEMANDS = 10
PUSHES_PER_DEMAND = 100  # 1 000 push tasks waiting at once
MEMBERS = 8


def queue_depth_metric(client: Client) -> float:
    response = client.get("/metrics")
    assert response.status_code == 200
    for line in response.content.decode().splitlines():
        if line.startswith("xiangzhen_task_queue_depth{") and 'status="READY"' in line and 'queue="default"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_full_task_queue_leaves_pages_answering_and_drains_every_task_once(
    db: None, settings: Any, county_official: Any
) -> None:
    from xiangzhen.accounts.tests.factories import UserFactory
    from xiangzhen.demands.tests.factories import DemandFactory
    from xiangzhen.notifications import services as notification_services
    from xiangzhen.notifications import tasks
    from xiangzhen.notifications.models import Notification
    from xiangzhen.notifications.tests.factories import subscribe
    from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people = []
    for i in range(MEMBERS):
        organization = OrganizationFactory(name=f"花垣县助农组织{i}", region_id=HUAYUAN)
        person = UserFactory(username=f"member{i}", email=f"member{i}@example.com")
        MembershipFactory(organization=organization, user=person)
        subscribe(organization, person, domains=["education"], regions=[HUAYUAN])
        people.append(person)
    demands = [
        DemandFactory(title=f"十八洞村留守儿童课后辅导 {i}", status=Demand.Status.PUBLISHED) for i in range(DEMANDS)
    ]
    for demand in demands:
        for _ in range(PUSHES_PER_DEMAND):
            tasks.push_demand_published.enqueue(demand.pk)
    reminder = notification_services.notify(recipients=people, title="专项基金信息公开即将到期", key="fault-queue")
    ids = list(Notification.objects.filter(key="fault-queue").values_list("pk", flat=True))
    tasks.email_notifications.enqueue(ids)
    tasks.email_notifications.enqueue(ids)  # the same reminder queued twice
    queued = DEMANDS * PUSHES_PER_DEMAND + 2
    assert reminder == MEMBERS and DBTaskResult.objects.filter(status="READY").count() == queued

    # With the queue full, pages and the API still answer and the depth is visible to operators.
    client = Client()
    assert client.get("/readyz").status_code == 200
    assert queue_depth_metric(client) == queued
    assert client.get(f"/demands/public/{demands[0].pk}/").status_code == 200
    client.force_login(county_official)
    assert client.get("/demands/").status_code == 200
    assert client.get("/api/v1/demands/").status_code == 200

    runs: Counter[int] = Counter()
    real = notification_services.push_demand_published

    def counted(demand_id: int) -> Any:
        runs[demand_id] += 1
        return real(demand_id)

    with (
        mock.patch.object(notification_services, "push_demand_published", counted),
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
    ):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
        # A second worker run finds nothing left to do.
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)

    results = DBTaskResult.objects.all()
    assert Counter(results.values_list("status", flat=True)) == {"SUCCESSFUL": queued}
    assert all(len(r.worker_ids) == 1 for r in results)  # each task picked up by one worker run
    assert runs == {demand.pk: PUSHES_PER_DEMAND for demand in demands}
    assert queue_depth_metric(client) == 0
    # Every person got each notification once, in the inbox and by e-mail, however often it was queued.
    sent = Counter((message.to[0], message.subject) for message in mail.outbox)
    assert len(sent) == MEMBERS * (DEMANDS + 1) and set(sent.values()) == {1}
    assert Notification.objects.count() == MEMBERS * (DEMANDS + 1)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


# ---------------------------------------------------------------- 3. an import interrupted half-way

ROWS = 5
STOP_AT = 3  # the per-row writer fails (or the process dies) on the third new row


def demand_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(demand_excel.HEADERS)
    for i in range(ROWS):
        values = {
            "title": f"留守儿童课后辅导 第{i + 1}期",
            "description": "30 名留守儿童需要课后辅导",
            "region": "双龙镇/十八洞村",
            "domains": "教育",
            "beneficiaries": "农村留守儿童:30",
            "aid_mode": "输血",
            "budget": 20000 + i,
            "in_kind": "",
            "period_start": "",
            "period_end": "",
            "deadline": date(NEXT_YEAR, 6, 30),
            "contact_name": "石金",
            "contact_phone": "13974300000",
            "on_behalf_of_household": "否",
            "household_name": "",
            "household_consent": "",
        }
        sheet.append([values[c.key] for c in demand_excel.COLUMNS])
    return _saved(book)


def offer_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(offer_excel.IMPORT_HEADERS)
    for i in range(ROWS):
        values = {
            "external_ref": f"GJ-FAULT-{i + 1}",
            "title": f"留守儿童课后辅导 第{i + 1}期",
            "description": "每周三次课后辅导和阅读陪伴",
            "domains": "教育",
            "beneficiary_groups": "空巢老人",
            "service_regions": "花垣县",
            "aid_mode": "造血",
            "capacity_demands": 3,
            "capacity_amount": 50000,
            "in_kind": "",
            "window_start": date(NEXT_YEAR, 1, 1),
            "window_end": date(NEXT_YEAR, 12, 31),
        }
        sheet.append([values[c.key] for c in offer_excel.IMPORT_COLUMNS])
    return _saved(book)


def donation_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(fund_excel.HEADERS)
    today = (timezone.localdate() - timedelta(days=1)).isoformat()
    for i in range(ROWS):
        sheet.append([f"SJ-FAULT-{i + 1}", "", "个人", f"石爱心{i + 1}", 100 + i, today, "银行转账", "否", "", ""])
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportCase:
    """One of the three imports: how to run it, its per-row writer, and what it writes."""

    name: str
    content: Callable[[], bytes]
    writer: tuple[Any, str]  # (module, function) called once per new row
    table: str  # the key of `tallies()` that counts its rows
    logged: bool  # whether each row appends a transparency-log leaf

    def world(self) -> dict[str, Any]:
        """The people (and fund) the import needs, made in the current database."""
        if self.name == "demands":
            return {"actor": ROLE_MAKERS["county_official"]()}
        if self.name == "offers":
            organization = make_organization()
            return {"actor": make_org_admin(organization), "organization": organization}
        fund, admin = active_fund()
        return {"actor": admin, "fund": fund}

    def run(self, world: dict[str, Any]) -> Any:
        content, filename = self.content(), f"{self.name}.xlsx"
        if self.name == "demands":
            return demand_services.import_demands(actor=world["actor"], filename=filename, content=content)
        if self.name == "offers":
            return offer_services.import_offers(
                actor=world["actor"], organization=world["organization"], filename=filename, content=content
            )
        return fund_services.import_donations(
            actor=world["actor"], fund=world["fund"], filename=filename, content=content
        )


CASES = [
    ImportCase("demands", demand_file, (demand_services, "_write_relations"), "demands", logged=False),
    ImportCase("offers", offer_file, (offer_services, "_create"), "offers", logged=False),
    ImportCase("donations", donation_file, (fund_services, "_write_donation"), "donations", logged=True),
]
IDS = [case.name for case in CASES]


def fail_at(row: int, exception: BaseException, original: Callable[..., Any]) -> Callable[..., Any]:
    calls = Counter[str]()

    def writer(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == row:
            raise exception
        return original(*args, **kwargs)

    return writer


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_database_error_half_way_through_an_import_writes_no_row_and_says_so(
    db: None, case: ImportCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = case.world()
    before = tallies()
    module, name = case.writer
    lost = OperationalError("server closed the connection unexpectedly")
    monkeypatch.setattr(module, name, fail_at(STOP_AT, lost, getattr(module, name)))

    report = case.run(world)

    # Rows 1 and 2 had been written inside the import's transaction: they are gone too.
    assert tallies() == before
    assert report.errors == [(STOP_AT + 1, INTERRUPTED)]  # the sheet's row 1 is the header
    assert "整个文件均未导入" in report.errors[0][1]
    assert report.created == 0 and report.numbers == [] and not report.ok

    monkeypatch.undo()
    first = case.run(world)
    again = case.run(world)
    assert first.ok and first.created == ROWS and len(set(first.numbers)) == ROWS
    assert again.ok and again.created == 0 and again.existing == ROWS
    after = tallies()
    assert after[case.table] == before[case.table] + ROWS
    assert after["log"] == before["log"] + (ROWS if case.logged else 0)


def test_any_other_failure_half_way_through_an_import_is_rolled_back_too(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[0]
    world = case.world()
    before = tallies()
    monkeypatch.setattr(
        demand_services, "_write_relations", fail_at(STOP_AT, RuntimeError("bug"), demand_services._write_relations)
    )
    with pytest.raises(RuntimeError):
        case.run(world)
    assert tallies() == before


def test_the_import_page_shows_the_interruption_and_keeps_the_file_for_another_try(
    client: Client, county_official: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(county_official)
    url = "/demands/import/"
    upload = SimpleUploadedFile("需求.xlsx", demand_file())
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    digest = preview.context["digest"]
    assert digest
    lost = OperationalError("server closed the connection unexpectedly")
    monkeypatch.setattr(demand_services, "_write_relations", fail_at(STOP_AT, lost, demand_services._write_relations))
    page = client.post(url, {"confirm": "1", "digest": digest})
    assert page.status_code == 200
    text = page.content.decode()
    assert "整个文件均未导入" in text and f"第 {STOP_AT + 1} 行" in text
    assert not Demand.objects.exists()
    monkeypatch.undo()
    done = client.post(url, {"confirm": "1", "digest": digest})
    assert done.status_code == 302 and Demand.objects.count() == ROWS


# The import, run by another process that pauses after writing row STOP_AT until it can take a
# file lock the test holds, and is killed there: its transaction never commits.
KILLED_IMPORT = textwrap.dedent(
    """
    import fcntl, json, sys
    from django.db import connection
    from tests.test_faults import CASES

    plan = json.loads({plan!r})
    case = next(c for c in CASES if c.name == plan["case"])
    module, name = case.writer
    original = getattr(module, name)
    calls = [0]

    def writer(*args, **kwargs):
        result = original(*args, **kwargs)
        calls[0] += 1
        if calls[0] == plan["stop_at"]:
            backend = 0
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    backend = cursor.fetchone()[0]
            print("WAITING", backend, flush=True)
            with open(plan["lock"], "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
        return result

    setattr(module, name, writer)
    world = plan["world"]
    from xiangzhen.accounts.models import User
    from xiangzhen.funds.models import Fund
    from xiangzhen.organizations.models import Organization

    objects = {{"actor": User.objects.get(pk=world["actor"])}}
    if "organization" in world:
        objects["organization"] = Organization.objects.get(pk=world["organization"])
    if "fund" in world:
        objects["fund"] = Fund.objects.get(pk=world["fund"])
    report = case.run(objects)
    print("FINISHED", report.created, flush=True)
    """
)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_import_process_killed_half_way_writes_no_row_and_the_log_still_verifies(
    served_db: ServedDatabase, case: ImportCase, tmp_path: Path
) -> None:
    world = case.world()
    before = tallies()
    lock_path = tmp_path / "import.lock"
    plan = {
        "case": case.name,
        "stop_at": STOP_AT,
        "lock": str(lock_path),
        "world": {key: value.pk for key, value in world.items()},
    }
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", KILLED_IMPORT.format(plan=json.dumps(plan))],
            env=served_db.env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert process.stdout is not None and process.stderr is not None
            # Blocks until the import has written STOP_AT rows (or the process ended: then say why).
            output = []
            while (line := process.stdout.readline()) and not line.startswith("WAITING"):
                output.append(line)
            assert line, "".join(output) + process.stderr.read()
            backend = int(line.split()[1])
            assert tallies() == before  # its rows are not committed, so nobody sees them
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
    assert process.returncode == -signal.SIGKILL
    if served_db.postgres:
        wait_for("the killed import's backend to roll back", lambda: served_db.backend_gone(backend))

    assert tallies() == before
    assert audit_in_process() == []

    # Importing the same file again writes every row once.
    report = case.run(world)
    assert report.ok and report.created == ROWS
    assert tallies()[case.table] == before[case.table] + ROWS
    assert audit_in_process() == []
