"""Keep an uploaded import file between its preview and its confirmation.

The file goes to a server-side directory under a random name; the session holds that name and
the file's SHA-256. Confirming re-reads the file and re-checks the digest the preview page
carried, so what is written is exactly what was previewed, and a stale tab cannot confirm a
different upload. Nothing touches the database here.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

MAX_AGE_SECONDS = 6 * 3600


@dataclass
class Stashed:
    filename: str
    content: bytes
    digest: str
    meta: dict[str, Any] = field(default_factory=dict)


def _directory() -> Path:
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _sweep(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def stash(request: HttpRequest, key: str, *, filename: str, content: bytes, meta: dict[str, Any] | None = None) -> str:
    """Keep `content` for this session under `key` (replacing any earlier one); returns its digest."""
    directory = _directory()
    _sweep(directory)
    discard(request, key)
    token = secrets.token_hex(16)
    (directory / token).write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    request.session[key] = {"token": token, "filename": filename, "digest": digest, "meta": meta or {}}
    return digest


def load(request: HttpRequest, key: str, digest: str) -> Stashed | None:
    """The stashed upload if it is still there and is the one whose digest the page carried."""
    info = request.session.get(key)
    if not info or not digest or info.get("digest") != digest:
        return None
    token = str(info.get("token", ""))
    if not token.isalnum():
        return None
    path = _directory() / token
    try:
        content = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(content).hexdigest() != digest:
        return None
    return Stashed(filename=info["filename"], content=content, digest=digest, meta=dict(info.get("meta") or {}))


def discard(request: HttpRequest, key: str) -> None:
    info = request.session.pop(key, None)
    token = str((info or {}).get("token", ""))
    if token.isalnum():
        (_directory() / token).unlink(missing_ok=True)
