"""Load test: gunicorn + PostgreSQL on this machine, driven from a second process on loopback.

    BENCH_DATABASE_URL=postgres://… python bench/loadtest.py

Set-up (in this process, through the services): the data set of bench/national.py, a province staff
member, a county official and an organization admin with API tokens, and an approved fund. Then
gunicorn serves the platform, and a second process (this file with `--drive`) runs
BENCH_USERS (50) users for BENCH_LOAD_SECONDS (300), each looping over a realistic mix:

    reads  public demand list of a county, the province's filtered demand list, a demand,
           public offer search, recommendations for a demand, the public statistics page
    writes a county official drafts a demand; the organization records a donation (which appends
           a leaf to the transparency log in the same transaction)

It reports throughput, p50/p95/p99 per kind and overall, and every error (there must be none).
Afterwards, with the server stopped, the consistency check: every demand and donation the driver
saw created is in the database exactly once and nothing else was created; the fund's derived
balance moved by exactly the sum of the donations; the log grew by exactly one leaf per donation;
a new signed checkpoint is consistent with the one published before the load; and
`xiangzhen-verify audit` passes against the live server. Results in bench/results/loadtest.json
(bench/results/loadtest-restart.json for a run with BENCH_RESTART_POSTGRES_AT). BENCH_THINK_SECONDS
sets the users' mean pause between requests (0 by default: back to back).
"""

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
# The fault: restart PostgreSQL this many seconds into the load (0: no restart). Requests may fail
# while it is down, with a clear error; none may fail outside that window, and nothing may be lost.
RESTART_AT = float(os.environ.get("BENCH_RESTART_POSTGRES_AT", "0"))
RESTART_GRACE_S = 5.0
# A person reads a page before the next click: each user waits a uniform 0–2×THINK seconds between
# requests (0: back to back, a stress test that measures the server's saturation, not people).
THINK = float(os.environ.get("BENCH_THINK_SECONDS", "0"))
# gunicorn closes a connection idle this long (as deploy/gunicorn.conf.py sets it). A client that
# sends on a connection at that moment gets it closed under it; like nginx's upstream pool
# (keepalive_timeout 4s in deploy/nginx), the users open a new connection after 4 s of quiet.
KEEPALIVE_S = 5
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
# The share of each kind of request in the mix (weights).
MIX = {
    "public_demands": 30,
    "province_demands": 20,
    "demand": 10,
    "offer_search": 10,
    "recommendations": 5,
    "public_stats": 5,
    "draft_demand": 12,
    "donation": 8,
}
TITLE = "压测需求"
DONOR = "压测捐赠人"
SEED_KEY = "bG9hZHRlc3Qtc2lnbmluZy1rZXktMzItYnl0ZXMhISE="  # base64 of 32 bytes, a throw-away log key


# ---------------------------------------------------------------- the driver (second process)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


class User(threading.Thread):
    def __init__(self, number: int, plan: dict[str, Any], deadline: float, out: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.number, self.plan, self.deadline, self.out = number, plan, deadline, out
        self.rng = random.Random(number)
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        self.sent = 0
        self.last_answer = 0.0

    def request(self, kind: str, method: str, path: str, token: str = "", body: Any = None) -> None:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        at = start - self.out["started"]
        if start - self.last_answer > KEEPALIVE_S - 1:
            self.connection.close()  # the next request opens a new connection
        reused = self.connection.sock is not None
        try:
            status, payload = self.exchange(method, path, data, headers)
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()  # the next request opens a new connection
            status, payload = 0, str(exc).encode()
            # A GET that failed on a kept-alive connection is sent again on a new one, as nginx's
            # upstream pool and browsers do (it cannot have changed anything); counted, not hidden.
            if reused and method == "GET":
                with LOCK:
                    self.out["resent"] = self.out.get("resent", 0) + 1
                try:
                    status, payload = self.exchange(method, path, data, headers)
                except (OSError, http.client.HTTPException) as again:
                    self.connection.close()
                    status, payload = 0, str(again).encode()
        elapsed = (time.perf_counter() - start) * 1000
        with LOCK:
            self.out["latencies"].setdefault(kind, []).append(elapsed)
            if status >= 400 or status == 0:
                self.out["errors"].append(
                    {
                        "kind": kind,
                        "status": status,
                        "path": path,
                        "at_s": round(at, 2),
                        "end_s": round(at + elapsed / 1000, 2),
                        "body": payload[:300].decode(errors="replace"),
                    }
                )
            if method == "POST":
                # Every write by its key (title or receipt number): created (with the id the server
                # gave), refused (4xx: nothing written), or unknown (no answer or 5xx: it may or may not
                # have committed — the consistency check accepts either, but never twice).
                key = body.get("receipt_number") or body["title"]
                outcome = "created" if status in (200, 201) else "refused" if 400 <= status < 500 else "unknown"
                record = {"outcome": outcome, "amount": body.get("amount")}
                if outcome == "created":
                    record["id"] = json.loads(payload)["id"]
                self.out["writes"].setdefault(kind, {})[key] = record

    def exchange(self, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        self.last_answer = time.perf_counter()
        return response.status, payload

    def run(self) -> None:
        plan, rng = self.plan, self.rng
        kinds, weights = list(MIX), list(MIX.values())
        while time.perf_counter() < self.deadline:
            if THINK:
                time.sleep(rng.uniform(0, 2 * THINK))
            kind = rng.choices(kinds, weights)[0]
            self.sent += 1
            if kind == "public_demands":
                self.request(kind, "GET", f"/api/v1/demands/public?region={rng.choice(plan['counties'])}")
            elif kind == "province_demands":
                domain = rng.choice(["education", "health", "elderly_care", "industry"])
                path = f"/api/v1/demands/?region={plan['province']}&status=published&domain={domain}"
                self.request(kind, "GET", path, plan["province_token"])
            elif kind == "demand":
                self.request(kind, "GET", f"/api/v1/demands/{rng.choice(plan['demands'])}", plan["county_token"])
            elif kind == "offer_search":
                self.request(
                    kind, "GET", f"/api/v1/offers/public?q={quote(rng.choice(['助学', '义诊', '养老', '培训']))}"
                )
            elif kind == "recommendations":
                path = f"/api/v1/recommendations/demands/{rng.choice(plan['demands'])}"
                self.request(kind, "GET", path, plan["county_token"])
            elif kind == "public_stats":
                self.request(kind, "GET", f"/stats/public/?region={plan['province']}")
            elif kind == "draft_demand":
                body = {
                    "title": f"{TITLE}{plan['run']}-{self.number}-{self.sent}", "description": "压力测试写入的需求草稿",
                    "region_code": rng.choice(plan["villages"]), "domains": ["education"],
                    "deadline": plan["deadline"], "contact_name": "测试", "contact_phone": "13800000000",
                }  # fmt: skip
                self.request(kind, "POST", "/api/v1/demands/", plan["county_token"], body)
            else:
                body = {
                    "donor_kind": "individual", "donor_name": DONOR,
                    "amount": f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}",
                    "donated_on": plan["today"], "channel": "bank",
                    "receipt_number": f"LT-{plan['run']}-{self.number}-{self.sent}",
                }  # fmt: skip
                self.request(kind, "POST", f"/api/v1/funds/{plan['fund_id']}/donations", plan["org_token"], body)


LOCK = threading.Lock()


def drive(plan_file: Path, out_file: Path) -> None:
    plan = json.loads(plan_file.read_text())
    start = time.perf_counter()
    out: dict[str, Any] = {"latencies": {}, "errors": [], "writes": {}, "started": start}
    users = [User(n, plan, start + SECONDS, out) for n in range(USERS)]
    for user in users:
        user.start()
    for user in users:
        user.join()
    out["seconds"] = time.perf_counter() - start
    out_file.write_text(json.dumps(out))


# ---------------------------------------------------------------- the orchestrator


def prepare() -> dict[str, Any]:
    """Users, tokens and an approved fund through the services; the ids the driver picks from."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from xiangzhen.accounts import services as accounts
    from xiangzhen.accounts.models import Department, User
    from xiangzhen.funds import services as funds
    from xiangzhen.funds.models import Fund
    from xiangzhen.funds.validation import FundData
    from xiangzhen.organizations.models import Membership, Organization

    with connection.cursor() as cursor:
        cursor.execute("SELECT substr(region_id, 1, 2), COUNT(*) FROM demands_demand GROUP BY 1 ORDER BY 2 DESC")
        province = f"{cursor.fetchone()[0]}0000000000"
        cursor.execute(
            "SELECT substr(region_id, 1, 6), COUNT(*) FROM demands_demand WHERE region_id LIKE %s"
            " GROUP BY 1 ORDER BY 2 DESC",
            [province[:2] + "%"],
        )
        counties = [f"{row[0]}000000" for row in cursor.fetchall()]
        county = counties[0]
        cursor.execute(
            "SELECT id FROM demands_demand WHERE region_id LIKE %s AND status = 'published' ORDER BY id LIMIT 200",
            [county[:6] + "%"],
        )
        demands = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT code FROM regions_region WHERE code LIKE %s AND level = 'village' ORDER BY code LIMIT 200",
            [county[:6] + "%"],
        )
        villages = [row[0] for row in cursor.fetchall()]

    def staff(name: str, kind: str, region: str) -> User:
        department, _ = Department.objects.get_or_create(kind=kind, region_id=region, defaults={"name": name})
        user, _ = User.objects.get_or_create(
            username=f"load-{name}", defaults={"role": User.Role.DEPARTMENT_STAFF, "department": department}
        )
        return user

    province_staff = staff("province", "civil_affairs", province)
    county_official = staff("county", "rural_revitalization", county)
    county_civil_affairs = staff("county-ca", "civil_affairs", county)
    organization = Organization.objects.filter(region_id=county, status="approved").order_by("pk").first()
    assert organization is not None, f"no organization registered in {county}"
    org_admin, _ = User.objects.get_or_create(username="load-org", defaults={"role": User.Role.ORGANIZATION})
    Membership.objects.get_or_create(organization=organization, user=org_admin, defaults={"role": "admin"})
    fund = Fund.objects.filter(organization=organization, name="压测专项基金").first()
    if fund is None:
        data = FundData(
            name="压测专项基金", founder_kind=Fund.FounderKind.ENTERPRISE, founder_name="压测企业",
            purpose="压力测试", domains=["education"], target_regions=[county],
        )  # fmt: skip
        fund = funds.create_fund(actor=org_admin, organization=organization, data=data)
        fund = funds.submit_fund(actor=org_admin, fund=fund)
        fund = funds.approve_fund(actor=county_civil_affairs, fund=fund)
    today = timezone.localdate()
    return {
        "province": province,
        "counties": counties[:50],
        "demands": demands,
        "villages": villages,
        "fund_id": fund.pk,
        "run": int(time.time()),
        "today": str(today),
        "deadline": str(today + datetime.timedelta(days=60)),
        "province_token": accounts.create_api_token(actor=province_staff, name="压测")[1],
        "county_token": accounts.create_api_token(actor=county_official, name="压测", scope="write")[1],
        "org_token": accounts.create_api_token(actor=org_admin, name="压测", scope="write")[1],
    }


def state(fund_id: int, run: int) -> dict[str, Any]:
    from xiangzhen.demands.models import Demand
    from xiangzhen.funds import ledger
    from xiangzhen.funds.models import Donation, Fund
    from xiangzhen.tlog import selectors as tlog

    fund = Fund.objects.get(pk=fund_id)
    return {
        "draft_demand": list(Demand.objects.filter(title__startswith=f"{TITLE}{run}-").values_list("title", "pk")),
        "donation": list(
            Donation.objects.filter(fund=fund, receipt_number__startswith=f"LT-{run}-").values_list(
                "receipt_number", "pk"
            )
        ),
        "balance": ledger.totals(fund).balance,
        "log_size": tlog.tree_size(),
    }


def warm_up(plan: dict[str, Any]) -> None:
    """Each worker builds the offer index on first use (tens of seconds at national size), as after
    any deployment; ask for recommendations from every worker before the clock starts."""

    def ask(demand_id: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        headers = {"Authorization": f"Bearer {plan['county_token']}"}
        connection.request("GET", f"/api/v1/recommendations/demands/{demand_id}", headers=headers)
        connection.getresponse().read()

    threads = [threading.Thread(target=ask, args=(d,)) for d in plan["demands"][: WORKERS * THREADS]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def reconcile(sent: dict[str, dict[str, Any]], rows: list[tuple[str, int]]) -> dict[str, Any]:
    """What the driver saw against what the database holds, by key. Lost: created for the client but
    not in the database; doubled: a key twice in the database; unexpected: a row the driver never
    sent or was refused; late: no answer reached the client, yet it committed (allowed)."""
    ids: dict[str, list[int]] = {}
    for key, pk in rows:
        ids.setdefault(key, []).append(pk)
    return {
        "sent": len(sent),
        "created": sum(1 for r in sent.values() if r["outcome"] == "created"),
        "refused": sum(1 for r in sent.values() if r["outcome"] == "refused"),
        "unknown": sum(1 for r in sent.values() if r["outcome"] == "unknown"),
        "in_database": sorted(ids),
        "late": sum(1 for key, r in sent.items() if r["outcome"] == "unknown" and key in ids),
        "lost": [k for k, r in sent.items() if r["outcome"] == "created" and ids.get(k) != [r["id"]]],
        "doubled": [k for k, pks in ids.items() if len(pks) > 1],
        "unexpected": [k for k in ids if k not in sent or sent[k]["outcome"] == "refused"],
    }


def serve(env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "xiangzhen.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
            "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS),
            "--keep-alive", str(KEEPALIVE_S),
            "--timeout", "60", "--log-level", "warning",
        ],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not start")


def restart_postgres() -> dict[str, float]:
    """Restart the PostgreSQL cluster RESTART_AT seconds into the load; when it went down and how long
    it took to come back (seconds since the load started, roughly: the driver starts just before)."""
    start = time.perf_counter()
    time.sleep(RESTART_AT)
    version = sorted(os.listdir("/etc/postgresql"))[0]
    began = time.perf_counter() - start
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        time.sleep(0.2)
    return {"down_at_s": round(began, 2), "back_after_s": round(time.perf_counter() - start - began, 2)}


def main() -> None:
    import national

    os.environ.setdefault("TLOG_SIGNING_KEY", SEED_KEY)
    national.setup()
    counts, _ = national.data_set()
    from decimal import Decimal

    from common import write
    from django.db import connection

    from xiangzhen.accounts.models import User
    from xiangzhen.tlog import conf, merkle
    from xiangzhen.tlog import selectors as tlog
    from xiangzhen.tlog import services as tlog_services

    admin, _ = User.objects.get_or_create(username="load-admin", defaults={"role": User.Role.PLATFORM_ADMIN})
    plan = prepare()
    before = state(plan["fund_id"], plan["run"])
    old = tlog_services.publish_checkpoint(actor=admin)
    work = Path(tempfile.mkdtemp(prefix="xz-load-"))
    (work / "plan.json").write_text(json.dumps(plan))
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_CONN_MAX_AGE="60", TLOG_SIGNING_KEY=os.environ["TLOG_SIGNING_KEY"], DJANGO_LOG_LEVEL="WARNING",
        XIANGZHEN_ACCESS_LOG_LEVEL="WARNING",
        XIANGZHEN_RECOMMENDATION_OFFER_INDEX=os.environ.get("BENCH_OFFER_INDEX", "1"),
    )  # fmt: skip
    server = serve(env)
    try:
        warm_up(plan)
        print(f"driving {USERS} users for {SECONDS:.0f}s against gunicorn ({WORKERS}×{THREADS})", flush=True)
        driver = subprocess.Popen(
            [sys.executable, __file__, "--drive", str(work / "plan.json"), str(work / "out.json")], env=env
        )
        restart = restart_postgres() if RESTART_AT else None
        if driver.wait() != 0:
            raise SystemExit("the load driver failed")
        connection.close()  # ours died with a PostgreSQL restart; the next query opens a new one
        key_file = work / "key.txt"
        key_file.write_text(tlog.public_key_data()["verifier_key"])
        new = tlog_services.publish_checkpoint(actor=admin)
        audit = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "xiangzhen-verify"), "audit", "--url", f"http://127.0.0.1:{PORT}/api/v1/tlog",
             "--key", str(key_file)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    out = json.loads((work / "out.json").read_text())
    after = state(plan["fund_id"], plan["run"])

    all_latencies = [v for values in out["latencies"].values() for v in values]
    requests = len(all_latencies)
    ledger_of = {kind: reconcile(out["writes"].get(kind, {}), after[kind]) for kind in ("draft_demand", "donation")}
    donations = out["writes"].get("donation", {})
    donated = sum((Decimal(donations[key]["amount"]) for key in ledger_of["donation"]["in_database"]), Decimal(0))
    proof = tlog.consistency_proof(old.tree_size, new.tree_size)
    consistent = merkle.verify_consistency(
        conf.hasher(), old.tree_size, new.tree_size, bytes(old.root_hash), bytes(new.root_hash), proof
    )
    checks = {
        "no_write_lost": not any(r["lost"] for r in ledger_of.values()),
        "no_write_doubled": not any(r["doubled"] for r in ledger_of.values()),
        "nothing_written_that_was_not_sent_or_was_refused": not any(r["unexpected"] for r in ledger_of.values()),
        "balance_moved_by_the_donations_in_the_database": after["balance"] - before["balance"] == donated,
        "log_grew_one_leaf_per_donation": after["log_size"] - before["log_size"]
        == len(ledger_of["donation"]["in_database"]),
        "new_checkpoint_consistent_with_old": consistent,
        "verifier_audit_passed": audit.returncode == 0,
    }
    outside = out["errors"]
    if restart is not None:
        lo, hi = restart["down_at_s"] - 1, restart["down_at_s"] + restart["back_after_s"] + RESTART_GRACE_S
        # A request in flight while the database was down may fail, however early it started.
        outside = [e for e in out["errors"] if e["end_s"] < lo or e["at_s"] > hi]
        checks["no_errors_outside_the_restart"] = not outside
    figures = {
        "data": counts,
        "users": USERS,
        "think_s_mean": THINK,
        "seconds": round(out["seconds"], 1),
        "gunicorn": f"{WORKERS} workers × {THREADS} threads",
        "requests": requests,
        "throughput_per_s": round(requests / out["seconds"], 1),
        "p50_ms": round(percentile(all_latencies, 0.5), 1),
        "p95_ms": round(percentile(all_latencies, 0.95), 1),
        "p99_ms": round(percentile(all_latencies, 0.99), 1),
        "errors": len(out["errors"]),
        "gets_resent_after_a_kept_alive_connection_failed": out.get("resent", 0),
        "postgres_restart": restart,
        "error_statuses": sorted({e["status"] for e in out["errors"]}),
        "first_errors": out["errors"][:5],
        "by_kind": {
            kind: {
                "requests": len(values),
                "median_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
            }
            for kind, values in sorted(out["latencies"].items())
        },
        "writes": {
            kind: {k: (len(v) if isinstance(v, list) else v) for k, v in r.items()} for kind, r in ledger_of.items()
        },
        "donated_yuan": str(donated),
        "consistency": checks,
        "verifier": (audit.stdout or audit.stderr).strip()[-300:],
    }
    # The fault run keeps its own file, so that a clean run's figures stand beside it.
    write("loadtest-restart" if RESTART_AT else "loadtest", figures)
    if outside or not all(checks.values()):
        raise SystemExit("load test failed: see errors and consistency above")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--drive", nargs=2, type=Path, metavar=("PLAN", "OUT"))
    args = parser.parse_args()
    if args.drive:
        drive(*args.drive)
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        main()
