"""Production settings come from the environment alone: Redis for cache and sessions, S3 for
attachments, JSON logs. Each case imports the settings in a fresh interpreter with its own env."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
import logging
default_storage._setup()
storage = default_storage._wrapped
print(json.dumps({
    "cache": type(caches["default"]).__module__ + "." + type(caches["default"]).__name__,
    "session": settings.SESSION_ENGINE,
    "storage": type(storage).__module__ + "." + type(storage).__name__,
    "bucket": getattr(storage, "bucket_name", None),
    "endpoint": getattr(storage, "endpoint_url", None),
    "acl": getattr(storage, "default_acl", None),
    "formatter": type(logging.getLogger().handlers[0].formatter).__name__,
}))
"""


def probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "XIANGZHEN_", "AWS_", "DATABASE_"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "xiangzhen.settings", **env}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_defaults_need_no_services():
    found = probe()
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["session"] == "django.contrib.sessions.backends.db"
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["formatter"] == "Formatter"


def test_production_environment_selects_redis_s3_and_json_logs():
    found = probe(
        REDIS_URL="redis://127.0.0.1:6379/5",
        XIANGZHEN_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="xiangzhen-attachments",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="test-access",
        AWS_SECRET_ACCESS_KEY="test-secret",
        XIANGZHEN_LOG_FORMAT="json",
    )
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["session"] == "django.contrib.sessions.backends.cache_db"
    # Constructed only, never contacted: no network at test time.
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "xiangzhen-attachments"
    assert found["endpoint"] == "http://127.0.0.1:9000"
    assert found["acl"] == "private"
    assert found["formatter"] == "JsonFormatter"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_redis_cache_round_trip_when_a_server_is_running(settings):
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "xiangzhen-test"})
    cache.set("ops-probe", {"n": 1}, timeout=5)
    assert cache.get("ops-probe") == {"n": 1}
    cache.set("ops-count", 1, timeout=5)
    assert cache.incr("ops-count") == 2
