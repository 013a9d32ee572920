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
from collections.abc import Callable, Iterator
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


def _run(argv: list[str], env: dict[str, str], *, watch: Callable[[], str | None] | None = None) -> None:
    """Run a PostgreSQL client tool; `watch`, asked every second while it runs, may stop it by
    returning the reason, which then becomes the error."""
    program = shutil.which(argv[0])
    if program is None:
        raise BackupError(f"找不到 {argv[0]}：请安装 PostgreSQL 客户端工具")
    stopped = None
    process = subprocess.Popen(  # noqa: S603
        [program, *argv[1:]], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with process:
        while True:
            try:
                _, stderr = process.communicate(timeout=1)
                break
            except subprocess.TimeoutExpired:
                if watch is not None and stopped is None:
                    stopped = watch()
    if process.returncode != 0:
        raise BackupError(stopped or f"{argv[0]} 失败（退出码 {process.returncode}）：{stderr.strip()[-2000:]}")


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


# How long pg_restore may wait for a table another session holds before it is cancelled (and rolls back).
RESTORE_LOCK_WAIT_SECONDS = 30
STOP_THE_PLATFORM = (
    "请先停止 xiangzhen-web、xiangzhen-worker 和各定时器（systemctl stop …），或断开这些连接（如 psql 会话），然后重试"
)


def _other_sessions(target: Target) -> list[str]:
    """Clients connected to the target database besides us, as `application (address, state)`."""
    with _cursor(target) as cursor:
        cursor.execute(
            "SELECT application_name, client_addr, state FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            " ORDER BY backend_start"
        )
        rows = cursor.fetchall()
    return [f"{name or '未命名客户端'}（{addr or '本机套接字'}，{state or '未知状态'}）" for name, addr, state in rows]


def _cancel_if_blocked(target: Target, application: str) -> str | None:
    """Cancel our pg_restore once it has waited too long for another session's lock (its
    transaction then rolls back), and say who held the lock."""
    with _cursor(target) as cursor:
        cursor.execute(
            "SELECT a.pid, (SELECT string_agg(coalesce(nullif(b.application_name, ''), '未命名客户端')"
            " || '（' || coalesce(b.state, '未知状态') || '）', '；')"
            " FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids(a.pid)))"
            " FROM pg_stat_activity a WHERE a.datname = current_database() AND a.application_name = %s"
            " AND a.wait_event_type = 'Lock' AND cardinality(pg_blocking_pids(a.pid)) > 0"
            " AND now() - a.query_start > make_interval(secs => %s)",
            [application, RESTORE_LOCK_WAIT_SECONDS],
        )
        blocked = cursor.fetchone()
        if blocked is None:
            return None
        cursor.execute("SELECT pg_cancel_backend(%s)", [blocked[0]])
    return (
        f"恢复等待其他连接释放表锁超过 {RESTORE_LOCK_WAIT_SECONDS} 秒，已取消：{blocked[1]}。"
        f"恢复在一个事务中进行，已全部回滚，数据库未做任何改动。{STOP_THE_PLATFORM}"
    )


def _restore_postgresql(db_file: Path, target: Target) -> None:
    # pg_restore drops and recreates every table: a running web process or worker would write into
    # a half-replaced database, or hold a lock that leaves pg_restore waiting, so refuse until they stop.
    others = _other_sessions(target)
    if others:
        raise BackupError(
            f"目标数据库 {target.settings['NAME']} 还有 {len(others)} 个其他连接：{'；'.join(others[:10])}。"
            f"{STOP_THE_PLATFORM}；数据库未做任何改动"
        )
    if target.is_default:
        connection.close()  # hold no locks on the tables pg_restore drops
    # A client that connects after the check and sits on a lock would leave pg_restore waiting for
    # ever (the dump itself sets lock_timeout = 0), so a watch cancels it: --single-transaction rolls back.
    application = f"xiangzhen-restore-{os.getpid()}"
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
        _pg_env(target.settings) | {"PGAPPNAME": application},
        watch=lambda: _cancel_if_blocked(target, application),
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
