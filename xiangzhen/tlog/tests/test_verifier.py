"""The offline verifier against the live API and exports, and the tampering it must catch."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from xiangzhen.matching.models import Match, MatchEvaluation
from xiangzhen.tlog import conf, selectors, services, verify
from xiangzhen.tlog.models import Checkpoint, LogEntry
from xiangzhen.tlog.tests.support import TEST_KIND, append_test_leaves, drop_triggers

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tlog"


def source():
    client = Client()

    def fetch(url):
        response = client.get(url)
        return response.status_code, response.content

    return verify.ApiSource(BASE, fetch)


def key():
    return verify.load_key(conf.verifier_key().text())


def run_audit():
    return verify.audit(source(), key())


def append(n, start=0):
    append_test_leaves(n, start)


def raw(sql, params=()):
    """What an attacker with database access does: set the triggers aside and write."""
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def logged(evaluated_match):
    services.publish_checkpoint(actor=None)
    return evaluated_match


# ---------------------------------------------------------------- receipts


def test_a_receipt_verifies_offline_and_a_forged_one_does_not(logged, tmp_path):
    bundle = services.issue_receipt(kind="match.completed", number=logged.number)
    assert bundle["tree_size"] == 3 and bundle["index"] == 1
    assert "验证通过" not in verify.verify_receipt(bundle, key())
    forged = {**bundle, "leaf": bundle["leaf"].replace("12000.50", "22000.50")}
    with pytest.raises(verify.VerificationFailed, match="包含性证明不成立"):
        verify.verify_receipt(forged, key())
    moved = {**bundle, "index": 0}
    with pytest.raises(verify.VerificationFailed):
        verify.verify_receipt(moved, key())


def test_a_receipt_for_a_leaf_not_yet_covered_publishes_a_checkpoint(logged):
    append(2)
    bundle = services.issue_receipt(kind=TEST_KIND, number="T-1")
    assert bundle["tree_size"] == 5 and Checkpoint.objects.count() == 2
    assert verify.verify_receipt(bundle, key()).startswith("收据有效")
    # Asked again, the checkpoint that covers it serves: no new one per request.
    assert services.issue_receipt(kind=TEST_KIND, number="T-1") == bundle
    assert Checkpoint.objects.count() == 2


def test_the_receipt_selector_only_reads(logged, django_assert_num_queries):
    append(2)
    entry = selectors.entry_for(TEST_KIND, "T-1")
    checkpoint = selectors.latest_checkpoint()
    with pytest.raises(ValueError, match="does not cover"):
        selectors.receipt_bundle(entry, checkpoint)
    covered = selectors.entry_for("match.completed", logged.number)
    with django_assert_num_queries(1) as queries:  # the proof's subtree hashes
        bundle = selectors.receipt_bundle(covered, checkpoint)
    assert queries.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT")
    assert bundle["tree_size"] == checkpoint.tree_size and Checkpoint.objects.count() == 1


def test_the_command_line_checks_a_receipt_file_without_django(logged, tmp_path):
    receipt = tmp_path / "receipt.json"
    receipt.write_text(
        json.dumps(services.issue_receipt(kind="match.confirmed", number=logged.number), ensure_ascii=False)
    )
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(conf.verifier_key().text())
    # A fresh interpreter with Django blocked from import: the verifier must not need it.
    code = (
        "import sys; sys.modules['django'] = None; from xiangzhen.tlog.verify import main; sys.exit(main(sys.argv[1:]))"
    )
    root = Path(__file__).resolve().parents[3]
    ok = subprocess.run(
        [sys.executable, "-c", code, "receipt", str(receipt), "--key", str(keyfile)],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "收据有效" in ok.stdout
    data = json.loads(receipt.read_text())
    data["inclusion_proof"][0] = "00" * 32
    receipt.write_text(json.dumps(data))
    bad = subprocess.run(
        [sys.executable, "-c", code, "receipt", str(receipt), "--key", str(keyfile)],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and "验证失败" in bad.stderr


# ---------------------------------------------------------------- consistency of checkpoints


def test_a_newer_checkpoint_is_shown_consistent_with_an_older_one(logged):
    old = Checkpoint.objects.get().note
    append(5)
    new = services.publish_checkpoint(actor=None).note
    assert "一致" in verify.verify_consistency(old, new, key(), source())


def test_a_rewritten_history_fails_the_consistency_check(logged):
    old = Checkpoint.objects.get().note
    append(5)
    new = services.publish_checkpoint(actor=None)
    # A second log signed with the same key but with a different first leaf: what rewriting
    # history and re-signing would produce.
    from xiangzhen.tlog import merkle, note

    h = conf.hasher()
    leaves = [bytes(x) for x in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    leaves[0] = h.leaf(b"rewritten")
    forked = note.sign(
        note.Checkpoint(conf.origin(), 3, merkle.root_from_leaf_hashes(h, leaves[:3])).body(),
        conf.key_name(),
        conf.signing_key(),
    )
    with pytest.raises(verify.VerificationFailed, match="不一致"):
        verify.verify_consistency(forked, new.note, key(), source())
    assert old != forked


# ---------------------------------------------------------------- audits


def test_an_untouched_log_passes_the_audit(logged):
    append(3)
    services.publish_checkpoint(actor=None)
    problems, summary = run_audit()
    assert problems == [] and "6 条" in summary


def test_an_amount_changed_in_the_database_is_named(logged):
    Match.objects.filter(pk=logged.pk).update(committed_amount="99999.00")
    problems, _ = run_audit()
    first = problems[0].message
    assert f"match.confirmed {logged.number}（序号 0）" in first
    assert "committed_amount" in first and "12000.50" in first and "99999.00" in first


def test_a_deleted_record_is_named(logged):
    MatchEvaluation.objects.filter(match=logged).delete()
    problems, _ = run_audit()
    assert problems[0].message.startswith(f"记录 match.evaluated.demand {logged.number}（序号 2）已从数据库中删除")


def test_a_leaf_changed_behind_the_trigger_is_named(logged):
    entry = LogEntry.objects.get(index=1)
    forged = entry.leaf.replace("12000.50", "2000.50")
    raw("UPDATE tlog_logentry SET leaf = %s WHERE " + connection.ops.quote_name("index") + " = 1", [forged])
    problems, _ = run_audit()
    assert "序号 0 至 1 之间的条目被改动" in problems[0].message
    assert any("（序号 1）与日志不符" in p.message for p in problems)


def test_two_leaves_swapped_behind_the_trigger_are_found(logged):
    append(5)
    services.publish_checkpoint(actor=None)
    index = connection.ops.quote_name("index")
    # Swap rows 5 and 6 whole (index and all), so each row stays self-consistent.
    raw(f"UPDATE tlog_logentry SET {index} = 1000000 WHERE {index} = 5")
    raw(f"UPDATE tlog_logentry SET {index} = 5 WHERE {index} = 6")
    raw(f"UPDATE tlog_logentry SET {index} = 6 WHERE {index} = 1000000")
    problems, _ = run_audit()
    assert problems, "a reordering must not pass"
    assert "序号 4 至 5" in problems[0].message or "序号 5" in problems[0].message, problems[0].message


def test_a_deleted_leaf_is_found(logged):
    raw("DELETE FROM tlog_logentry WHERE " + connection.ops.quote_name("index") + " = 2")
    problems, _ = run_audit()
    assert "被删除" in problems[0].message


def test_a_replaced_checkpoint_is_detected(logged):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from xiangzhen.tlog import note

    fake = note.sign(
        note.Checkpoint(conf.origin(), 3, b"\x00" * 32).body(), conf.key_name(), Ed25519PrivateKey.generate()
    )
    raw("UPDATE tlog_checkpoint SET note = %s WHERE tree_size = 3", [fake])
    problems, _ = run_audit()
    assert "签名无效" in problems[0].message


def test_audit_of_an_export_names_the_changed_record(logged, tmp_path):
    Match.objects.filter(pk=logged.pk).update(people_to_serve=99)
    call_command("tlog_export", str(tmp_path), stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    problems, _ = verify.audit(verify.ExportSource(tmp_path), key())
    assert "people_to_serve" in problems[0].message and "（序号 0）" in problems[0].message
    exit_code = verify.main(["audit", "--export", str(tmp_path), "--key", str(tmp_path / "key.txt")])
    assert exit_code == 1


def test_an_sm3_log_verifies_end_to_end(settings):
    settings.TLOG_HASH = "sm3"
    append(5)
    checkpoint = services.publish_checkpoint(actor=None)
    assert checkpoint.note.startswith("xiangzhen.local/tlog/sm3\n5\n")
    assert verify.verify_receipt(services.issue_receipt(kind=TEST_KIND, number="T-3"), key()).startswith("收据有效")
    problems, _ = run_audit()
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_command_line_audits_a_running_server_over_http(live_server, tmp_path, capsys):
    from xiangzhen.tlog.tests.support import ROWS

    append(4)
    services.publish_checkpoint(actor=None)
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(conf.verifier_key().text())
    args = ["audit", "--url", f"{live_server.url}/api/v1/tlog", "--key", str(keyfile)]
    assert verify.main(args) == 0
    assert "审计通过" in capsys.readouterr().out
    ROWS["T-2"] = {"i": 222}
    try:
        assert verify.main(args) == 1
        assert "test.record T-2（序号 2）与日志不符" in capsys.readouterr().err
    finally:
        ROWS["T-2"] = {"i": 2}
