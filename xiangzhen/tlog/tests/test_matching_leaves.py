"""Matching's events enter the log in their own transaction, without personal data."""

import json

import pytest

from xiangzhen.tlog import selectors
from xiangzhen.tlog.models import LogEntry

pytestmark = pytest.mark.django_db


def test_confirmation_completion_and_evaluation_are_logged(evaluated_match, organization):
    entries = list(LogEntry.objects.order_by("index"))
    assert [(e.kind, e.number) for e in entries] == [
        ("match.confirmed", evaluated_match.number),
        ("match.completed", evaluated_match.number),
        ("match.evaluated.demand", evaluated_match.number),
    ]
    confirmed = json.loads(entries[0].leaf)["data"]
    assert confirmed["organization"] == organization.credit_code
    assert confirmed["committed_amount"] == "12000.50"
    assert confirmed["region"] == evaluated_match.demand.region_id
    assert json.loads(entries[2].leaf)["data"]["score"] == 5


def test_logged_leaves_hold_no_personal_data(evaluated_match, organization, village_submitter, org_admin):
    demand = evaluated_match.demand
    text = "".join(LogEntry.objects.values_list("leaf", flat=True))
    for secret in (organization.contact_name, organization.contact_phone, organization.name,
                   village_submitter.username, org_admin.username, "孩子们很喜欢", "完成 12 次课后辅导",
                   demand.title):  # fmt: skip
        assert secret not in text


def test_the_registered_rebuild_gives_back_the_logged_leaf(evaluated_match):
    for entry in LogEntry.objects.all():
        assert selectors.current_leaf(entry.kind, entry.number) == entry.leaf.encode()
