"""The log's settings: its hash, its origin and its signing key.

`TLOG_HASH` ("sha256" or "sm3"), `TLOG_ORIGIN` (without the hash; the hash name is appended as
the last path segment so a verifier knows which hash the log uses), `TLOG_SIGNING_KEY` (a path
to a PEM Ed25519 private key or a base64 32-byte seed), read from settings or the environment.
Without a configured key, DEBUG keeps a generated one under var/ (gitignored); production refuses.
"""

import base64
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xiangzhen.tlog import merkle, note


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def hash_name() -> str:
    return merkle.hasher(_setting("TLOG_HASH", "sha256")).name


def hasher() -> merkle.Hasher:
    return merkle.hasher(hash_name())


def origin() -> str:
    return f"{_setting('TLOG_ORIGIN', 'xiangzhen.local/tlog').rstrip('/')}/{hash_name()}"


def key_name() -> str:
    return _setting("TLOG_KEY_NAME") or origin()


def signing_key() -> Ed25519PrivateKey:
    return _load_key(_setting("TLOG_SIGNING_KEY"), bool(settings.DEBUG))


@lru_cache(maxsize=8)
def _load_key(configured: str, debug: bool) -> Ed25519PrivateKey:
    if configured:
        path = Path(configured)
        if path.is_file():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ImproperlyConfigured("TLOG_SIGNING_KEY 必须是 Ed25519 私钥")
            return key
        try:
            seed = base64.b64decode(configured, validate=True)
        except ValueError:
            raise ImproperlyConfigured("TLOG_SIGNING_KEY 既不是文件路径也不是 base64 种子") from None
        if len(seed) != 32:
            raise ImproperlyConfigured("TLOG_SIGNING_KEY 的 base64 种子必须是 32 字节")
        return Ed25519PrivateKey.from_private_bytes(seed)
    if not debug:
        raise ImproperlyConfigured("未配置透明日志签名密钥 TLOG_SIGNING_KEY")
    path = Path(settings.VAR_DIR) / "tlog-signing-key.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
    return _load_key(str(path), debug)


def witness_keys() -> list[note.VerifierKey]:
    """Verifier keys of the witnesses whose cosignatures the log accepts (`TLOG_WITNESS_KEYS`)."""
    configured = getattr(settings, "TLOG_WITNESS_KEYS", None)
    if configured is None:
        configured = [k for k in os.environ.get("TLOG_WITNESS_KEYS", "").split(",") if k.strip()]
    return [note.parse_verifier_key(k) for k in configured]


def verifier_key() -> note.VerifierKey:
    return note.verifier_key(key_name(), signing_key().public_key())
