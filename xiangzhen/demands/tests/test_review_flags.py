from decimal import Decimal

import pytest

from xiangzhen.demands import review_flags
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import DemandFactory

HUAYUAN_VILLAGE = "433124110226"


def codes(demand):
    return {f.code for f in review_flags.flags_for(demand)}


@pytest.mark.parametrize(
    ("text", "fires"),
    [("给贫困户购买苹果手机", True), ("需要 iphone 用于直播", True), ("采购茅台招待", True), ("课后辅导图书", False)],
)
def test_brand_flag(text, fires):
    flag = review_flags.brand_flag(text)
    assert (flag is not None) == fires
    if flag:
        assert "品牌" in flag.explanation


@pytest.mark.parametrize(
    ("text", "fires"),
    [("购置高档轿车一辆", True), ("为老人购买金饰", True), ("逢年过节发放烟酒", True), ("修缮村道路灯", False)],
)
def test_luxury_flag(text, fires):
    assert (review_flags.luxury_flag(text) is not None) == fires


def test_brand_word_does_not_also_count_as_luxury():
    assert review_flags.luxury_flag("苹果手机") is None


def test_budget_flag_needs_five_comparables_and_three_times_the_median():
    five = [Decimal(v) for v in (8000, 10000, 10000, 12000, 9000)]
    flag = review_flags.budget_flag(Decimal("40000"), five)
    assert flag is not None and "中位数（10,000.00 元，5 个）" in flag.explanation and "4.0 倍" in flag.explanation
    assert review_flags.budget_flag(Decimal("30000"), five) is None  # exactly 3×: not "far above"
    assert review_flags.budget_flag(Decimal("40000"), five[:4]) is None


def test_duplicate_flag_uses_word_jaccard():
    words = review_flags.word_set("留守儿童课后辅导", "每周三次课后辅导")
    same = ("XQ-1", "留守儿童课后辅导", review_flags.word_set("留守儿童课后辅导", "每周三次课后辅导"))
    other = ("XQ-2", "村道修缮", review_flags.word_set("村道修缮", "硬化道路两公里"))
    flag = review_flags.duplicate_flag(words, [other, same])
    assert flag is not None and "XQ-1" in flag.explanation
    assert review_flags.duplicate_flag(words, [other]) is None
    assert review_flags.jaccard(set(), set()) == 0.0


@pytest.mark.django_db
def test_flags_for_a_clean_demand_is_empty():
    demand = DemandFactory(title="村小学图书角", description="为村小学添置儿童读物 300 册")
    assert review_flags.flags_for(demand) == []


@pytest.mark.django_db
def test_flags_for_budget_against_published_demands_of_the_province_sharing_a_domain():
    for budget in (8000, 10000, 10000, 12000, 9000):
        DemandFactory(status=Demand.Status.PUBLISHED, budget=budget, domains=["education"], title=f"助学{budget}")
    DemandFactory(status=Demand.Status.PUBLISHED, budget=1, domains=["health"], title="卫生")  # other domain
    DemandFactory(status=Demand.Status.SUBMITTED, budget=1, domains=["education"], title="未发布")  # not published
    expensive = DemandFactory(budget=50000, domains=["education"], title="乡村学校改造", description="改造教室")
    modest = DemandFactory(budget=20000, domains=["education"], title="学校桌椅", description="更换桌椅")
    health = DemandFactory(budget=50000, domains=["health"], title="卫生室设备", description="购置设备")
    assert codes(expensive) == {"budget"}
    assert codes(modest) == set()
    assert codes(health) == set()  # one comparable only


@pytest.mark.django_db
def test_flags_for_near_duplicate_in_same_village_only(fenghuang_village):
    DemandFactory(title="留守儿童课后辅导", description="每周三次课后辅导和阅读", status=Demand.Status.PUBLISHED)
    new = DemandFactory(title="留守儿童课后辅导", description="每周三次课后辅导和阅读活动")
    assert "duplicate" in codes(new)
    elsewhere = DemandFactory(
        title="留守儿童课后辅导", description="每周三次课后辅导和阅读活动", region_id=fenghuang_village
    )
    assert "duplicate" not in codes(elsewhere)
    DemandFactory(
        title="留守儿童课后辅导 旧",
        description="每周三次课后辅导和阅读",
        status=Demand.Status.WITHDRAWN,
        region_id=fenghuang_village,
    )
    assert "duplicate" not in codes(elsewhere)  # withdrawn ones are not open
