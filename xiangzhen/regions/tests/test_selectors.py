import pytest

from conftest import FENGHUANG, HUAYUAN, HUNAN, SHIBADONG, XIANGXI
from xiangzhen.core.errors import NotFound, ValidationFailed
from xiangzhen.regions import selectors
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Designation, Region


@pytest.mark.parametrize("q", ["十八洞", "shibadong", "ShiBaDong", "sbd", "SBDC", "十八洞村"])
def test_search_finds_shibadong_by_chinese_pinyin_and_initials(db, q):
    codes = [r.code for r in selectors.search(q, limit=100)]
    assert SHIBADONG in codes


def test_search_orders_by_level_then_code(db):
    results = selectors.search("hua", limit=100)
    ranks = [(Level.values.index(r.level), r.code) for r in results]
    assert ranks == sorted(ranks)
    # 花垣县 (county) comes before any township or village whose pinyin starts with "hua"
    assert HUAYUAN in [r.code for r in results]


def test_search_filters_by_level_and_within(db):
    assert [r.code for r in selectors.search("花垣", level="county")] == [HUAYUAN]
    villages = selectors.search("和平村", level=["village"], within=FENGHUANG)
    assert [r.code for r in villages] == ["433123104207"]
    assert len(selectors.search("和平村", level="village")) == 3
    assert selectors.search("   ") == []
    with pytest.raises(ValidationFailed):
        selectors.search("花垣", level="town")
    with pytest.raises(ValidationFailed):
        selectors.search("花垣", within="12x")


def test_search_respects_limit(db):
    assert len(selectors.search("村", limit=5)) == 5


def test_ancestors_province_first_and_skip_missing_levels(db):
    assert [r.code for r in selectors.ancestors(SHIBADONG)] == [HUNAN, XIANGXI, HUAYUAN, "433124110000"]
    # 仙桃市 is a county directly under 湖北省: no city between them
    assert [r.code for r in selectors.ancestors("429004")] == ["420000000000"]
    assert selectors.ancestors(HUNAN) == []
    with pytest.raises(NotFound):
        selectors.ancestors("433124999999")


def test_children_of_a_township_and_of_the_root(db):
    children = list(selectors.children("433124110000"))
    assert SHIBADONG in [c.code for c in children]
    assert all(c.parent_id == "433124110000" for c in children)
    provinces = list(selectors.children(None))
    assert len(provinces) >= 31 and all(p.level == Level.PROVINCE for p in provinces)


def test_subtree_counts_uses_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(2):  # the region itself, then one grouped range query
        counts = selectors.subtree_counts(HUAYUAN)
    assert counts["township"] == 12
    assert counts["village"] == Region.objects.filter(code__startswith="433124", level=Level.VILLAGE).count() > 0
    assert set(counts) == {"township", "village"}
    xiangxi = selectors.subtree_counts(XIANGXI)
    assert xiangxi["county"] == 8
    assert xiangxi["township"] == 41 and xiangxi["village"] == 683


def test_children_with_counts_match_subtree_counts(db):
    rows = {row.code: row for row in selectors.children_with_counts(XIANGXI)}
    for code in (HUAYUAN, FENGHUANG, "433101000000"):
        assert rows[code].counts == selectors.subtree_counts(code)
    # Hubei mixes cities and counties directly under the province
    hubei = {row.code: row for row in selectors.children_with_counts("420000000000")}
    assert hubei["429004000000"].level == Level.COUNTY
    assert hubei["429004000000"].counts == {"township": 0, "village": 0}
    assert hubei["420100000000"].counts == selectors.subtree_counts("420100000000")


def test_designations_filtered_by_kind_and_subtree(platform_admin):
    from xiangzhen.regions import services

    services.set_designations(
        actor=platform_admin, region=Region.objects.get(pk=HUAYUAN), kinds=["national_key_county"]
    )
    services.set_designations(
        actor=platform_admin, region=Region.objects.get(pk=FENGHUANG), kinds=["national_key_county"]
    )
    services.set_designations(
        actor=platform_admin, region=Region.objects.get(pk=SHIBADONG), kinds=["demonstration_village"]
    )
    assert [d.region_id for d in selectors.designations(kind="national_key_county")] == [FENGHUANG, HUAYUAN]
    assert [d.region_id for d in selectors.designations(within=HUAYUAN)] == [HUAYUAN, SHIBADONG]
    assert [d.region_id for d in selectors.designations(within="11")] == []
    assert selectors.designation_counts(within=XIANGXI)[Designation.Kind.NATIONAL_KEY_COUNTY] == 2
    with pytest.raises(ValidationFailed):
        list(selectors.designations(kind="nope"))
