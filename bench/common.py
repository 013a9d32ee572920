"""Shared set-up for benchmarks: a throw-away database and a JSON result file."""

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


DATA = ROOT / "var" / "bench"  # gitignored: generated databases kept between runs


def setup_django(keep_as: Path | None = None) -> None:
    """Point Django at a fresh SQLite file (or at BENCH_DATABASE_URL) and migrate it.

    With `keep_as`, that SQLite file is used instead and kept, so a benchmark can reuse data it
    generated before (it decides itself whether the file is complete)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangzhen.settings")
    if "BENCH_DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    elif keep_as is not None:
        keep_as.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{keep_as}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='xz-bench-')}/bench.sqlite3"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def best_of(fn: Callable[[], Any], repeat: int = 7) -> float:
    """Median seconds of `repeat` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write(name: str, figures: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    from django.db import connection

    figures = {"benchmark": name, "database": connection.vendor, **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(figures, ensure_ascii=False, indent=2))
