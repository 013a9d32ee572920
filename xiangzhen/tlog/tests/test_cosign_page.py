"""The witness cosignature page and the public checkpoint pages."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from xiangzhen.tlog import note, services
from xiangzhen.tlog.models import Checkpoint, Cosignature
from xiangzhen.tlog.tests.support import append_test_leaves

pytestmark = pytest.mark.django_db
WITNESS = "witness.hunan-mz"


@pytest.fixture
def witness(settings):
    key = Ed25519PrivateKey.generate()
    settings.TLOG_WITNESS_KEYS = [note.verifier_key(WITNESS, key.public_key()).text()]
    return key


@pytest.fixture
def checkpoint():
    append_test_leaves(2)
    return services.publish_checkpoint(actor=None)


def test_witness_staff_paste_a_cosignature_and_the_public_sees_it(client, witness, checkpoint, province_civil_affairs):
    body = note.split(checkpoint.note)[0]
    client.force_login(province_civil_affairs)
    url = f"/tlog/checkpoints/{checkpoint.tree_size}/cosign/"
    assert client.get(url).status_code == 200
    forged = note.cosign(body, WITNESS, Ed25519PrivateKey.generate(), 1_700_000_000)
    refused = client.post(url, {"line": forged})
    assert refused.status_code == 200 and "联署签名无效" in refused.content.decode()
    line = note.cosign(body, WITNESS, witness, 1_700_000_000)
    assert client.post(url, {"line": line}).status_code == 302
    assert Cosignature.objects.get(checkpoint=checkpoint).witness == WITNESS
    again = client.post(url, {"line": line}).content.decode()
    assert "已对该检查点联署" in again
    client.logout()
    page = client.get(f"/tlog/checkpoints/{checkpoint.tree_size}/").content.decode()
    assert WITNESS in page and line.strip() in page
    assert WITNESS in client.get("/tlog/checkpoints/").content.decode()


def test_cosign_page_is_for_staff_and_admins(client, checkpoint, org_admin, village_submitter, platform_admin):
    url = f"/tlog/checkpoints/{checkpoint.tree_size}/cosign/"
    assert client.get(url).status_code == 302  # to the login page
    for user in (org_admin, village_submitter):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(platform_admin)
    assert client.get(url).status_code == 200


def test_unsigned_sizes_have_no_page(client, checkpoint):
    assert client.get(f"/tlog/checkpoints/{checkpoint.tree_size + 5}/").status_code == 404
    assert Checkpoint.objects.count() == 1
