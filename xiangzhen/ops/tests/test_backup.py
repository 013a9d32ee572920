"""Backup, restore and verify on the database the suite runs on: SQLite's online backup API, or
pg_dump/pg_restore into a scratch PostgreSQL database. A restore is proven by recounting every
table and recomputing the transparency log's root against the manifest and the signed checkpoint."""

import hashlib
import json
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xiangzhen.accounts.models import User
from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.ops import backup
from xiangzhen.ops.cli import main as xiangzhen_cli
from xiangzhen.tlog import selectors, services
from xiangzhen.tlog.tests.support import append_test_leaves

pytestmark = pytest.mark.django_db(transaction=True)

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite online backup")
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump / pg_restore")


def make_history() -> None:
    """Some people and seven leaves, the first five covered by a signed checkpoint."""
    UserFactory.create_batch(3)
    append_test_leaves(5)
    services.publish_checkpoint(actor=None)
    append_test_leaves(2, start=5)


def rewrite_manifest(directory: Path, change) -> None:
    path = directory / backup.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def rehash(directory: Path) -> None:
    """What someone who rewrote the backup file would also do: fix its checksum in the manifest."""
    digest = hashlib.sha256((directory / backup.SQLITE_FILE).read_bytes()).hexdigest()
    rewrite_manifest(directory, lambda m: m["database"].update(sha256=digest))


def test_manifest_holds_counts_the_log_root_and_the_checkpoint(tmp_path):
    make_history()
    call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / backup.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["accounts_user"] == User.objects.count()
    assert manifest["tables"]["tlog_logentry"] == 7
    assert manifest["tlog"] == {"hash": "sha256", "size": 7, "root": selectors.root_at(7).hex()}
    assert manifest["checkpoint"]["tree_size"] == 5
    assert manifest["checkpoint"]["root"] == selectors.root_at(5).hex()


def test_backup_never_overwrites(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(tmp_path))


@sqlite_only
def test_sqlite_restore_brings_back_the_saved_moment_and_verifies(tmp_path, capsys):
    make_history()
    users = User.objects.count()
    xiangzhen_cli(["backup", str(tmp_path / "b")])  # the operator's command, a wrapper over manage.py
    # The platform moves on after the backup…
    UserFactory()
    append_test_leaves(1, start=7)
    call_command("restore", str(tmp_path / "b"), "--verify", "--noinput")
    # …and the restore takes it back to the moment of the backup, proven.
    assert User.objects.count() == users
    assert selectors.tree_size() == 7
    assert "核对通过" in capsys.readouterr().out


def test_verify_names_the_table_that_differs(tmp_path):
    make_history()
    call_command("backup", str(tmp_path / "b"))
    saved = User.objects.count()
    UserFactory()
    with pytest.raises(CommandError, match=f"accounts_user：行数不符，备份清单 {saved}，恢复后 {saved + 1}") as failure:
        call_command("verify_backup", str(tmp_path / "b"))
    assert "tlog_logentry" not in str(failure.value)


@sqlite_only
def test_an_edited_leaf_in_the_backup_is_caught_on_restore(tmp_path):
    make_history()
    directory = tmp_path / "b"
    call_command("backup", str(directory))
    with sqlite3.connect(directory / backup.SQLITE_FILE) as db:
        db.execute("DROP TRIGGER tlog_logentry_no_update")
        db.execute("""UPDATE tlog_logentry SET leaf = replace(leaf, '"i":2', '"i":9') WHERE "index" = 2""")
    rehash(directory)
    with pytest.raises(CommandError, match="tlog_logentry：序号 2 的叶子内容与其哈希不符"):
        call_command("restore", str(directory), "--verify", "--noinput")


@sqlite_only
def test_a_rewritten_log_and_manifest_still_fail_against_the_signed_checkpoint(tmp_path):
    """Whoever controls the backup directory can rewrite leaves, hashes and manifest alike; the
    checkpoint's signature is what they cannot forge."""
    make_history()
    directory = tmp_path / "b"
    call_command("backup", str(directory))
    forged = b'{"data":{"i":9},"kind":"test.record","number":"T-2"}'
    with sqlite3.connect(directory / backup.SQLITE_FILE) as db:
        db.execute("DROP TRIGGER tlog_logentry_no_update")
        db.execute(
            'UPDATE tlog_logentry SET leaf = ?, leaf_hash = ? WHERE "index" = 2',
            (forged.decode(), hashlib.sha256(b"\x00" + forged).digest()),
        )
    rehash(directory)
    call_command("restore", str(directory), "--noinput")
    from xiangzhen.ops import snapshot

    with connection.cursor() as cursor:
        forged_root = snapshot.take(cursor, "sqlite").tlog_root
    rewrite_manifest(directory, lambda m: m["tlog"].update(root=forged_root))
    with pytest.raises(CommandError, match="前 5 条根哈希与已签名检查点不符"):
        call_command("verify_backup", str(directory))


def test_a_damaged_backup_file_is_refused_before_anything_is_overwritten(tmp_path):
    make_history()
    directory = tmp_path / "b"
    manifest = backup.backup(directory)
    damaged = directory / manifest["database"]["file"]
    data = bytearray(damaged.read_bytes())
    data[-100] ^= 0xFF
    damaged.write_bytes(bytes(data))
    UserFactory()
    now = User.objects.count()
    with pytest.raises(CommandError, match="校验和"):
        call_command("restore", str(directory), "--noinput")
    assert User.objects.count() == now  # untouched


@sqlite_only
def test_attachments_are_saved_and_put_back(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    photo = tmp_path / "media" / "attachments" / "2026" / "12" / "photo.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\x89PNG fake")
    call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / backup.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["media"]["files"] == 1
    photo.unlink()
    call_command("restore", str(tmp_path / "b"), "--noinput")
    assert photo.read_bytes() == b"\x89PNG fake"


@sqlite_only
def test_restore_into_another_sqlite_file(tmp_path):
    make_history()
    call_command("backup", str(tmp_path / "b"))
    target = tmp_path / "copy.sqlite3"
    call_command("restore", str(tmp_path / "b"), "--verify", "--noinput", "--target-url", f"sqlite:///{target}")
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT COUNT(*) FROM tlog_logentry").fetchone() == (7,)


# ---------------------------------------------------------------- PostgreSQL


def _conninfo(dbname: str) -> dict:
    db = connection.settings_dict
    info = {"dbname": dbname, "user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"], "port": db["PORT"]}
    return {k: v for k, v in info.items() if v}


def _url(dbname: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{dbname}"


@pytest.fixture
def scratch_database():
    name = connection.settings_dict["NAME"] + "_restore"
    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@postgresql_only
def test_postgresql_dump_restores_into_a_scratch_database_and_verifies(tmp_path, scratch_database, capsys):
    make_history()
    directory = tmp_path / "b"
    call_command("backup", str(directory))
    assert (directory / backup.PG_FILE).is_file()
    url = _url(scratch_database)
    call_command("restore", str(directory), "--verify", "--noinput", "--target-url", url)
    assert "核对通过" in capsys.readouterr().out
    with psycopg.connect(**_conninfo(scratch_database)) as db:
        assert db.execute("SELECT COUNT(*) FROM accounts_user").fetchone() == (User.objects.count(),)
        # The append-only triggers came back with the tables.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("""UPDATE tlog_logentry SET leaf = 'x' WHERE "index" = 0""")
    # Someone edits a row in the restored database: verify names the table.
    with psycopg.connect(**_conninfo(scratch_database)) as db:
        db.execute("DELETE FROM accounts_user WHERE id = (SELECT MAX(id) FROM accounts_user)")
        db.execute("ALTER TABLE tlog_logentry DISABLE TRIGGER USER")
        db.execute("""UPDATE tlog_logentry SET leaf = replace(leaf, '"i":3', '"i":8') WHERE "index" = 3""")
    with pytest.raises(CommandError) as failure:
        call_command("verify_backup", str(directory), "--target-url", url)
    assert "accounts_user：行数不符" in str(failure.value)
    assert "tlog_logentry：序号 3 的叶子内容与其哈希不符" in str(failure.value)


@postgresql_only
def test_postgresql_backup_counts_and_dump_share_one_snapshot(tmp_path):
    make_history()
    manifest = backup.backup(tmp_path / "b")
    assert manifest["tables"]["tlog_logentry"] == 7
    assert manifest["database"]["file"] == backup.PG_FILE


def test_dated_backups_go_into_a_new_directory_each_time(tmp_path):
    call_command("backup", str(tmp_path), "--dated", "--no-media")
    (made,) = list(tmp_path.iterdir())
    assert (made / backup.MANIFEST).is_file()


def test_restore_asks_before_overwriting(tmp_path, monkeypatch):
    make_history()
    call_command("backup", str(tmp_path / "b"), "--no-media")
    UserFactory()
    now = User.objects.count()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(tmp_path / "b"))
    assert User.objects.count() == now


# ---------------------------------------------------------------- PostgreSQL: restoring over a live database


def _count(dbname: str, table: str) -> int:
    with psycopg.connect(**_conninfo(dbname)) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.fixture
def live_target(tmp_path, scratch_database):
    """A backup, and a database that already holds different data: the backup's rows less one
    person removed since, as on a platform that kept running after the backup."""
    make_history()
    directory = tmp_path / "b"
    call_command("backup", str(directory))
    url = _url(scratch_database)
    call_command("restore", str(directory), "--noinput", "--target-url", url)
    with psycopg.connect(**_conninfo(scratch_database)) as db:
        db.execute("DELETE FROM accounts_user WHERE id = (SELECT MAX(id) FROM accounts_user)")
    return directory, url, scratch_database


@postgresql_only
def test_restore_refuses_while_another_client_is_connected_and_changes_nothing(live_target, capsys):
    directory, url, name = live_target
    held = _count(name, "accounts_user")
    manifest = backup.read_manifest(directory)
    assert held == manifest["tables"]["accounts_user"] - 1
    with psycopg.connect(**_conninfo(name), application_name="xiangzhen-web", autocommit=True) as web:
        web.execute("SELECT COUNT(*) FROM accounts_user").fetchone()  # a web worker, idle between requests
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(directory), "--verify", "--noinput", "--target-url", url)
        assert f"目标数据库 {name} 还有 1 个其他连接：xiangzhen-web" in str(refused.value)
        assert "请先停止 xiangzhen-web、xiangzhen-worker 和各定时器" in str(refused.value)
        assert _count(name, "accounts_user") == held  # untouched
    # Once the platform is stopped, the same command replaces the data and proves it.
    call_command("restore", str(directory), "--verify", "--noinput", "--target-url", url)
    assert "核对通过" in capsys.readouterr().out
    assert _count(name, "accounts_user") == manifest["tables"]["accounts_user"]
    assert backup.verify(directory, target=backup.Target.from_url(url)) == []


@postgresql_only
def test_a_lock_taken_after_the_check_fails_the_restore_whole(live_target, monkeypatch):
    """A client that connects between the check and pg_restore and holds a table: pg_restore gives
    is cancelled after the lock wait instead of waiting forever, and its single transaction rolls back."""
    directory, url, name = live_target
    held = _count(name, "accounts_user")
    monkeypatch.setattr(backup, "RESTORE_LOCK_WAIT_SECONDS", 1)
    monkeypatch.setattr(backup, "_other_sessions", lambda target: [])
    with psycopg.connect(**_conninfo(name), application_name="psql") as late:
        # Without the watch pg_restore would wait for ever; the server ending this session after 30 s
        # lets it through instead, and the test fails rather than hangs.
        late.execute("SET idle_in_transaction_session_timeout = '30s'")
        late.execute("SELECT COUNT(*) FROM accounts_user").fetchone()  # idle in transaction, table locked
        with pytest.raises(CommandError) as failed:
            call_command("restore", str(directory), "--noinput", "--target-url", url)
        late.rollback()
    assert "恢复等待其他连接释放表锁超过 1 秒，已取消：psql（idle in transaction）" in str(failed.value)
    assert "已全部回滚，数据库未做任何改动" in str(failed.value)
    assert _count(name, "accounts_user") == held
    problems = backup.verify(directory, target=backup.Target.from_url(url))
    assert problems == [f"accounts_user：行数不符，备份清单 {held + 1}，恢复后 {held}"]
