"""gunicorn settings for xiangzhen-web.service (docs/operations.md). Tunable from the environment
file: XIANGZHEN_BIND, XIANGZHEN_WEB_WORKERS, XIANGZHEN_WEB_THREADS, XIANGZHEN_WEB_TIMEOUT."""

import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any

# nginx proxies to this address; /metrics is scraped here directly by a local Prometheus.
bind = os.environ.get("XIANGZHEN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("XIANGZHEN_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("XIANGZHEN_WEB_THREADS", "1"))
# An Excel export or a report in Word layout can take a while; nginx waits 65 s (proxy_read_timeout).
timeout = int(os.environ.get("XIANGZHEN_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto is believed from nginx on this machine only.
forwarded_allow_ips = "127.0.0.1,::1"
# The access line is Django's (xiangzhen.request: request id, route, status, duration, user id),
# so gunicorn's own access log — with full paths and query strings — stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("XIANGZHEN_GUNICORN_LOG_LEVEL", "info")
# Heartbeat files on tmpfs, so a slow disk cannot make gunicorn think a worker hung.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 (gunicorn's own advice)
proc_name = "xiangzhen-web"


def on_starting(server: Any) -> None:
    """Start every run with an empty Prometheus multiprocess directory (stale files would add up)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exits leaves its gauges behind otherwise."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
