"""Backups that prove themselves: a copy of the database, the attachments, and a manifest of what
the copy holds — every table's row count, the transparency log's size and root, the latest signed
checkpoint — so a restore can be checked against it.

SQLite is copied with its online backup API (consistent while the platform runs); PostgreSQL with
`pg_dump -Fc` inside an exported snapshot, so the manifest's counts and the dump see the same
moment. Restoring is the reverse (`pg_restore` in one transaction); `verify` recomputes everything
from the restored database and compares it with the manifest and the checkpoint's signature.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction

from xiangzhen.ops import snapshot
from xiangzhen.tlog import conf, note

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    """The backup or restore could not be made, or does not verify; the message says what and where."""


@dataclass(frozen=True)
class Target:
    """A database to restore into or verify: the configured one, or another given by URL."""

    vendor: str
    settings: dict[str, Any]
    is_default: bool

    @classmethod
    def default(cls) -> "Target":
        return cls(connection.vendor, dict(connection.settings_dict), True)

    @classmethod
    def from_url(cls, url: str) -> "Target":
        parsed = dict(dj_database_url.parse(url))
        engine = str(parsed["ENGINE"])
        vendor = "sqlite" if engine.endswith("sqlite3") else "postgresql" if "postgresql" in engine else engine
        if vendor not in ("sqlite", "postgresql"):
            raise BackupError(f"不支持的数据库：{engine}")
        return cls(vendor, parsed, False)


# ---------------------------------------------------------------- files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path | None:
    """The attachments' directory when they live on the filesystem (S3 keeps its own versions)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore, so no password or name lands on a command line."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(argv: list[str], env: dict[str, str]) -> None:
    program = shutil.which(argv[0])
    if program is None:
        raise BackupError(f"找不到 {argv[0]}：请安装 PostgreSQL 客户端工具")
    done = subprocess.run([program, *argv[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------- backup


def backup(directory: Path, *, media: bool = True) -> dict[str, Any]:
    """Write the database, the attachments and manifest.json into `directory` (new or empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"备份目录 {directory} 不是空目录，不会覆盖已有备份")
    if connection.in_atomic_block:
        raise BackupError("备份不能在事务中进行")
    if connection.vendor == "sqlite":
        db_file, snap = directory / SQLITE_FILE, _backup_sqlite(directory / SQLITE_FILE)
    elif connection.vendor == "postgresql":
        db_file, snap = directory / PG_FILE, _backup_postgresql(directory / PG_FILE)
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": {"file": db_file.name, "sha256": _sha256(db_file), "bytes": db_file.stat().st_size},
        **snap.manifest_part(),
    }
    if snap.log_problems:
        raise BackupError("备份时透明日志已不一致：" + "；".join(snap.log_problems[:5]))
    root = _media_root()
    if media and root is not None and root.is_dir():
        manifest["media"] = _backup_media(root, directory / MEDIA_FILE)
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _backup_sqlite(path: Path) -> snapshot.Snapshot:
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        with closing(copy.cursor()) as cursor:
            return snapshot.take(cursor, "sqlite")


def _backup_postgresql(path: Path) -> snapshot.Snapshot:
    with transaction.atomic(), connection.cursor() as cursor:
        # One repeatable-read snapshot for the counts and for pg_dump, which joins it by id.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = str(cursor.fetchone()[0])
        snap = snapshot.take(cursor, "postgresql")
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot_id}", f"--file={path}"],
            _pg_env(connection.settings_dict),
        )
    return snap


def _backup_media(root: Path, archive: Path) -> dict[str, Any]:
    files = 0
    with tarfile.open(archive, "w:gz") as tar:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                files += 1
    return {"file": archive.name, "sha256": _sha256(archive), "files": files}


# ---------------------------------------------------------------- restore


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"无法读取备份清单 {path}：{exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份清单格式 {manifest.get('format')!r} 不受支持")
    db_file = directory / manifest["database"]["file"]
    if not db_file.is_file() or _sha256(db_file) != manifest["database"]["sha256"]:
        raise BackupError(f"备份文件 {db_file.name} 缺失或校验和与清单不符")
    media = manifest.get("media")
    if media and _sha256(directory / media["file"]) != media["sha256"]:
        raise BackupError(f"附件归档 {media['file']} 的校验和与清单不符")
    return manifest


def restore(directory: Path, *, target: Target, media: bool = True) -> dict[str, Any]:
    """Replace the target database's contents with the backup's (and the attachments, if kept)."""
    manifest = read_manifest(directory)
    if manifest["vendor"] != target.vendor:
        raise BackupError(f"备份来自 {manifest['vendor']}，不能恢复到 {target.vendor}")
    db_file = directory / manifest["database"]["file"]
    if target.vendor == "sqlite":
        _restore_sqlite(db_file, target)
    else:
        _restore_postgresql(db_file, target)
    root = _media_root()
    if media and manifest.get("media") and root is not None:
        with tarfile.open(directory / manifest["media"]["file"], "r:gz") as tar:
            tar.extractall(root, filter="data")
    return manifest


def _restore_sqlite(db_file: Path, target: Target) -> None:
    with closing(sqlite3.connect(db_file)) as source:
        if target.is_default:
            if connection.in_atomic_block:
                raise BackupError("恢复不能在事务中进行")
            connection.ensure_connection()
            source.backup(connection.connection)
        else:
            with closing(sqlite3.connect(target.settings["NAME"])) as dest:
                source.backup(dest)


def _restore_postgresql(db_file: Path, target: Target) -> None:
    if target.is_default:
        connection.close()  # hold no locks on the tables pg_restore drops
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={target.settings['NAME']}",
            str(db_file),
        ],
        _pg_env(target.settings),
    )


# ---------------------------------------------------------------- verify


@contextmanager
def _cursor(target: Target) -> Iterator[Any]:
    if target.is_default:
        with connection.cursor() as cursor:
            yield cursor
    elif target.vendor == "sqlite":
        with closing(sqlite3.connect(target.settings["NAME"])) as db, closing(db.cursor()) as cursor:
            yield cursor
    else:
        import psycopg
        from psycopg.conninfo import make_conninfo

        options = target.settings
        params = {"dbname": options["NAME"], "user": options.get("USER"), "password": options.get("PASSWORD")}
        params |= {"host": options.get("HOST"), "port": options.get("PORT")}
        conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if v})
        with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
            yield cursor


def verify(directory: Path, *, target: Target, key: note.VerifierKey | None = None) -> list[str]:
    """Problems found comparing the target database with the backup's manifest; empty when it matches."""
    manifest = read_manifest(directory)
    with _cursor(target) as cursor:
        snap = snapshot.take(cursor, target.vendor)
    problems = list(snap.log_problems)
    for table, expected in manifest["tables"].items():
        actual = snap.tables.get(table)
        if actual is None:
            problems.append(f"{table}：备份中有此表（{expected} 行），恢复后的数据库中没有")
        elif actual != expected:
            problems.append(f"{table}：行数不符，备份清单 {expected}，恢复后 {actual}")
    log = manifest["tlog"]
    if log["hash"] != conf.hash_name():
        problems.append(f"{snapshot.LOG_TABLE}：备份的日志哈希是 {log['hash']}，当前配置是 {conf.hash_name()}")
    if snap.tlog_size != log["size"]:
        problems.append(f"{snapshot.LOG_TABLE}：日志大小不符，备份清单 {log['size']}，恢复后 {snap.tlog_size}")
    elif snap.tlog_root != log["root"]:
        problems.append(f"{snapshot.LOG_TABLE}：重算的日志根哈希与备份清单不符")
    if snap.checkpoint != manifest["checkpoint"]:
        problems.append(f"{snapshot.CHECKPOINT_TABLE}：最新检查点与备份清单不符")
    problems.extend(snapshot.checkpoint_problems(snap, key or conf.verifier_key()))
    return problems
