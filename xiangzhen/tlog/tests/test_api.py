"""The public API: no login for reads, proofs only for signed sizes, publishing for staff only."""

import base64

import pytest
from django.db import connection

from xiangzhen.core.errors import Conflict, Forbidden
from xiangzhen.tlog import conf, merkle, note, services
from xiangzhen.tlog.models import Checkpoint, LogEntry
from xiangzhen.tlog.tests.support import TEST_KIND, append_test_leaves, drop_triggers

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tlog"


@pytest.fixture
def log():
    append_test_leaves(5)
    services.publish_checkpoint(actor=None)
    append_test_leaves(3, start=5)
    services.publish_checkpoint(actor=None)
    append_test_leaves(2, start=8)  # an unsigned tail of two leaves


def test_reads_need_no_login_and_the_checkpoint_verifies(client, log):
    text = client.get(f"{BASE}/checkpoint")
    assert text.status_code == 200 and text["Content-Type"].startswith("text/plain")
    key = note.parse_verifier_key(client.get(f"{BASE}/key").json()["verifier_key"])
    checkpoint = note.verify_checkpoint(text.content.decode(), key, conf.origin())
    assert checkpoint.size == 8
    latest = client.get(f"{BASE}/checkpoints/latest").json()
    assert latest["tree_size"] == 8 and base64.b64decode(latest["root_hash_base64"]) == checkpoint.root
    assert [c["tree_size"] for c in client.get(f"{BASE}/checkpoints").json()["items"]] == [8, 5]


def test_inclusion_proof_at_a_signed_size_verifies(client, log):
    body = client.get(f"{BASE}/proof/inclusion", {"index": 3, "tree_size": 5}).json()
    h = conf.hasher()
    proof = [bytes.fromhex(p) for p in body["proof"]]
    leaf = LogEntry.objects.get(index=3).leaf.encode()
    assert merkle.verify_inclusion(h, 3, 5, h.leaf(leaf), proof, bytes.fromhex(body["root_hash"]))


def test_a_size_that_was_never_signed_gets_no_proof(client, log):
    for url, params in [
        ("proof/inclusion", {"index": 1, "tree_size": 10}),
        ("proof/inclusion", {"index": 1, "tree_size": 6}),
        ("proof/consistency", {"first": 5, "second": 10}),
        ("proof/consistency", {"first": 3, "second": 8}),
    ]:
        response = client.get(f"{BASE}/{url}", params)
        assert response.status_code == 422, url
        assert "没有已签名的检查点" in response.json()["detail"]


def test_an_index_outside_the_signed_tree_is_refused(client, log):
    response = client.get(f"{BASE}/proof/inclusion", {"index": 5, "tree_size": 5})
    assert response.status_code == 422 and "不在树大小 5 的范围内" in response.json()["detail"]


def test_consistency_proof_between_signed_sizes_verifies(client, log):
    body = client.get(f"{BASE}/proof/consistency", {"first": 5, "second": 8}).json()
    proof = [bytes.fromhex(p) for p in body["proof"]]
    first, second = bytes.fromhex(body["first_root_hash"]), bytes.fromhex(body["second_root_hash"])
    assert merkle.verify_consistency(conf.hasher(), 5, 8, first, second, proof)


def test_entries_are_served_by_range_and_capped(client, log, monkeypatch):
    assert [e["index"] for e in client.get(f"{BASE}/entries", {"start": 3, "end": 6}).json()] == [3, 4, 5]
    monkeypatch.setattr("xiangzhen.tlog.selectors.MAX_ENTRIES", 4)
    assert len(client.get(f"{BASE}/entries", {"start": 0, "end": 10}).json()) == 4


def test_a_record_leaf_and_its_current_rebuild(client, log):
    logged = client.get(f"{BASE}/records/{TEST_KIND}/T-2").json()
    current = client.get(f"{BASE}/records/{TEST_KIND}/T-2/current").json()
    assert logged["index"] == 2 and current["leaf"] == logged["leaf"]
    assert client.get(f"{BASE}/records/{TEST_KIND}/NOPE").status_code == 404
    assert client.get(f"{BASE}/records/unknown.kind/T-2/current").status_code == 404


def test_no_checkpoint_yet_is_a_clear_404(client):
    response = client.get(f"{BASE}/checkpoints/latest")
    assert response.status_code == 404 and "尚未发布检查点" in response.json()["detail"]


def test_only_platform_admins_and_province_staff_publish(
    client, platform_admin, province_civil_affairs, county_official, org_admin
):
    append_test_leaves(1)
    for user in (county_official, org_admin):
        with pytest.raises(Forbidden):
            services.publish_checkpoint(actor=user)
    client.force_login(county_official)
    assert client.post(f"{BASE}/checkpoints").status_code == 403
    client.force_login(province_civil_affairs)
    assert client.post(f"{BASE}/checkpoints").json()["tree_size"] == 1
    assert client.logout() is None
    assert client.post(f"{BASE}/checkpoints").status_code == 401


def test_publishing_again_without_new_leaves_signs_nothing_new():
    append_test_leaves(2)
    first = services.publish_checkpoint(actor=None)
    assert services.publish_checkpoint(actor=None) == first
    assert Checkpoint.objects.count() == 1


def test_a_tree_inconsistent_with_the_last_checkpoint_is_never_signed():
    append_test_leaves(3)
    services.publish_checkpoint(actor=None)
    append_test_leaves(1, start=3)
    # Leaf 2 is part of the proof that the 4-leaf tree extends the signed 3-leaf one.
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tlog_logentry SET leaf_hash = %s WHERE " + connection.ops.quote_name("index") + " = 2",
            [conf.hasher().leaf(b"rewritten")],
        )
    with pytest.raises(Conflict, match="不一致"):
        services.publish_checkpoint(actor=None)
    assert Checkpoint.objects.count() == 1


def test_witness_cosignature_is_kept_only_from_a_known_witness(client, settings, log):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    witness = Ed25519PrivateKey.generate()
    settings.TLOG_WITNESS_KEYS = [note.verifier_key("witness.hunan-mz", witness.public_key()).text()]
    body = note.split(Checkpoint.objects.get(tree_size=8).note)[0]
    stranger = note.cosign(body, "witness.hunan-mz", Ed25519PrivateKey.generate(), 1_700_000_000)
    url = f"{BASE}/checkpoints/8/cosignatures"
    assert client.post(url, {"line": stranger}, content_type="application/json").status_code == 422
    line = note.cosign(body, "witness.hunan-mz", witness, 1_700_000_000)
    response = client.post(url, {"line": line}, content_type="application/json")
    assert response.status_code == 200 and response.json()["cosignatures"] == [line]
    assert client.post(url, {"line": line}, content_type="application/json").status_code == 409
