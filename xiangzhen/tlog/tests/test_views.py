import io

import pytest
from openpyxl import load_workbook

from xiangzhen.tlog import services
from xiangzhen.tlog.models import Checkpoint
from xiangzhen.tlog.tests.support import append_test_leaves

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_the_latest_checkpoint_and_entries(client, evaluated_match):
    services.publish_checkpoint(actor=None)
    page = client.get("/tlog/").content.decode()
    assert "xiangzhen.local/tlog/sha256" in page and "供需对接确认" in page and evaluated_match.number in page
    filtered = client.get("/tlog/", {"kind": "match.completed"}).content.decode()
    assert "供需对接完成" in filtered and "需求方评价</td>" not in filtered


def test_lookup_by_number_shows_each_leaf_with_a_proof_that_holds(client, evaluated_match):
    services.publish_checkpoint(actor=None)
    page = client.get("/tlog/lookup/", {"number": evaluated_match.number}).content.decode()
    assert page.count("证明成立") == 3 and "证明不成立" not in page
    assert page.count(">一致<") == 3
    assert "透明日志中没有该编号的记录" in client.get("/tlog/lookup/", {"number": "NOPE"}).content.decode()


def test_lookup_before_any_checkpoint_says_the_proof_comes_later(client, evaluated_match):
    page = client.get("/tlog/lookup/", {"number": evaluated_match.number}).content.decode()
    assert "尚未被已发布的检查点覆盖" in page


def test_how_to_verify_gives_the_key_and_commands(client):
    page = client.get("/tlog/how-to-verify/").content.decode()
    assert "xiangzhen-verify audit --url" in page and "+" in page
    assert client.get("/tlog/key.txt").content.decode().startswith("xiangzhen.local/tlog/sha256+")


def test_entries_export(client):
    append_test_leaves(2)
    response = client.get("/tlog/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["T-1", "T-0"]


def test_staff_publish_from_the_page_and_others_cannot(client, province_rural_revitalization, county_official):
    append_test_leaves(1)
    client.force_login(county_official)
    assert "立即发布检查点" not in client.get("/tlog/").content.decode()
    client.post("/tlog/publish/")
    assert not Checkpoint.objects.exists()
    client.force_login(province_rural_revitalization)
    assert "立即发布检查点" in client.get("/tlog/").content.decode()
    client.post("/tlog/publish/")
    assert Checkpoint.objects.get().tree_size == 1
