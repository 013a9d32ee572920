"""The national-scale data set shared by the dashboard and page benchmarks.

Generated once per size (bench/generate.py, fixed seed) and reused: into a SQLite file under
var/bench/, or into the database BENCH_DATABASE_URL names (PostgreSQL). The generator writes matches
without dates; each confirmed/completed match gets a confirmation some days after its demand's
publication (and completed ones a completion date), in SQL, so the figures have something to count.

Sizes: BENCH_DEMANDS, BENCH_OFFERS, BENCH_VILLAGES (national defaults; e.g. BENCH_DEMANDS=40000
BENCH_OFFERS=8000 BENCH_VILLAGES=20000 for about one province's worth). Organizations: a third of
the offers unless BENCH_ORGANIZATIONS says otherwise.
"""

import json
import os
import time
from hashlib import sha256

from common import DATA, setup_django

DEMANDS = int(os.environ.get("BENCH_DEMANDS", "1000000"))
OFFERS = int(os.environ.get("BENCH_OFFERS", "200000"))
VILLAGES = int(os.environ.get("BENCH_VILLAGES", "500000"))
ORGANIZATIONS = int(os.environ.get("BENCH_ORGANIZATIONS", str(max(OFFERS // 3, 100))))
SEED = 20260611
_SIZE = f"s{SEED}-d{DEMANDS}-o{OFFERS}-v{VILLAGES}-g{ORGANIZATIONS}"
CACHED = DATA / f"national-{_SIZE}.sqlite3"
# Written last: the data set is complete (and reusable) only when this file exists. For a server
# database the marker is named after its URL, so another database is generated afresh.
_TARGET = os.environ.get("BENCH_DATABASE_URL", "")
_MARK = f"-{sha256(_TARGET.encode()).hexdigest()[:8]}" if _TARGET else ""
DONE = DATA / f"national-{_SIZE}{_MARK}.json"

# Match dates: confirmed `(id % 40) + 1` days after publication, completed 30 days after that.
SPREAD_DATES = {
    "sqlite": [
        """UPDATE matching_match SET confirmed_at = (
             SELECT strftime('%Y-%m-%d %H:%M:%f', d.published_at, '+' || ((matching_match.id % 40) + 1) || ' days')
             FROM demands_demand d WHERE d.id = matching_match.demand_id)
           WHERE status IN ('confirmed', 'in_progress', 'completed', 'evaluated')""",
        """UPDATE matching_match SET completed_at = strftime('%Y-%m-%d %H:%M:%f', confirmed_at, '+30 days')
           WHERE status IN ('completed', 'evaluated')""",
    ],
    "postgresql": [
        """UPDATE matching_match m SET confirmed_at = d.published_at + ((m.id % 40) + 1) * interval '1 day'
           FROM demands_demand d WHERE d.id = m.demand_id
             AND m.status IN ('confirmed', 'in_progress', 'completed', 'evaluated')""",
        """UPDATE matching_match SET completed_at = confirmed_at + interval '30 days'
           WHERE status IN ('completed', 'evaluated')""",
    ],
}


def setup() -> None:
    """Django on the cached data set's database (a half-generated SQLite file is started over)."""
    if not DONE.exists() and not _TARGET:
        CACHED.unlink(missing_ok=True)
    setup_django(keep_as=CACHED)


def data_set() -> tuple[dict[str, int], float]:
    """(counts, seconds spent generating), generated once per size and database, then reused."""
    if DONE.exists():
        saved = json.loads(DONE.read_text())
        return saved["counts"], saved["seconds"]
    from django.db import connection
    from generate import generate

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throw-away file: durability is not needed while filling it
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA journal_mode=MEMORY")
    start = time.perf_counter()
    data = generate(demands=DEMANDS, offers=OFFERS, organizations=ORGANIZATIONS, villages=VILLAGES, seed=SEED)
    with connection.cursor() as cursor:
        for sql in SPREAD_DATES[connection.vendor]:
            cursor.execute(sql)
        # VACUUM too on PostgreSQL: index-only scans need the visibility map a fresh bulk load lacks.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seconds = time.perf_counter() - start
    DONE.parent.mkdir(parents=True, exist_ok=True)
    DONE.write_text(json.dumps({"counts": data.counts, "seconds": seconds}))
    return data.counts, seconds
