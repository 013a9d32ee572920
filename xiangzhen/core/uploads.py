"""Keep an Excel import upload in the session between its preview and its confirmation.

The demand and organization imports preview a file (nothing written), then write it when the
user confirms. The file waits in the session, base64-encoded with its SHA-256; the preview page
carries the digest, and confirming reads the file back only if the digest still matches, so what
is written is exactly what was previewed and a stale tab cannot confirm a different upload.
Shared here so both imports keep, check and drop uploads the same way. (Region imports take
files up to 10 MB and keep them on disk instead: `xiangzhen.regions.uploads`.)
"""

import base64
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.db import DatabaseError, transaction
from django.http import HttpRequest

MAX_IMPORT_BYTES = 5 * 1024 * 1024
TOO_LARGE = "文件不超过 5 MB"
INTERRUPTED = "写入本行时数据库出错，导入已中断：整个文件均未导入（已写入的行也已撤销），请稍后重新导入"

logger = logging.getLogger("xiangzhen.imports")


RowT = TypeVar("RowT")


@dataclass
class ImportReport(Generic[RowT]):
    """What an import did, or would do (dry run): every row's outcome, or every bad row.

    Rows are each import's own (what its preview shows); the counts and errors are shared."""

    created: int = 0
    existing: int = 0
    rows: list[RowT] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def interrupt(self, row_number: int) -> None:
        """Writing stopped at `row_number` and was rolled back: the report says so and nothing else."""
        self.created = self.existing = 0
        self.rows, self.numbers = [], []
        self.errors = [(row_number, INTERRUPTED)]


@dataclass
class Progress:
    row_number: int = 0


@contextmanager
def all_rows_or_none(report: ImportReport[Any], what: str) -> Iterator[Progress]:
    """Write an import's rows in one savepoint; a database error on any row (a lost connection, a
    deadlock, a constraint) undoes every row and becomes the report's one error, naming the row, so
    the user sees a clear message instead of a server error. Set `progress.row_number` per row."""
    progress = Progress()
    try:
        with transaction.atomic():
            yield progress
    except DatabaseError:
        logger.exception("%s interrupted at row %s; every row rolled back", what, progress.row_number)
        report.interrupt(progress.row_number)


@dataclass
class Stashed:
    filename: str
    content: bytes
    digest: str


def read_upload(form: forms.Form, field: str = "file") -> bytes | None:
    """The uploaded file's bytes, or None (and an error on the form) when it is over the size limit."""
    upload = form.cleaned_data[field]
    if upload.size > MAX_IMPORT_BYTES:
        form.add_error(field, TOO_LARGE)
        return None
    content: bytes = upload.read()
    return content


def stash(request: HttpRequest, key: str, *, filename: str, content: bytes) -> str:
    """Keep `content` in this session under `key` (replacing any earlier one); returns its digest."""
    digest = hashlib.sha256(content).hexdigest()
    request.session[key] = {"filename": filename, "content": base64.b64encode(content).decode(), "digest": digest}
    return digest


def load(request: HttpRequest, key: str, digest: str | None) -> Stashed | None:
    """The stashed upload if there is one and it is the one whose digest the page carried."""
    stored = request.session.get(key)
    if not stored or stored.get("digest") != digest:
        return None
    return Stashed(filename=stored["filename"], content=base64.b64decode(stored["content"]), digest=stored["digest"])


def discard(request: HttpRequest, key: str) -> None:
    request.session.pop(key, None)
