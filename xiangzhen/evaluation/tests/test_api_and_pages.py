"""Who sees which scores, the API wiring, the pages and the Excel exports."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.evaluation import selectors, services
from xiangzhen.evaluation.filters import ScoreFilters
from xiangzhen.evaluation.models import Indicator, Score
from xiangzhen.evaluation.tests import factories as f
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
HUNAN = "430000000000"
TODAY = date(2026, 3, 1)


@pytest.fixture
def scores(hunan_indicators, organization, org_admin):
    """2025 scores of the 花垣县 organization (rated 4A), a busier 花垣县 one and a 凤凰县 one."""
    organization.rating, organization.rating_year = "4A", 2024
    organization.save()
    busy = OrganizationFactory(name="很活跃的组织")
    for month in range(1, 4):
        f.match(busy, status="completed", confirmed=date(2025, month, 1), completed=date(2025, month, 20))
    f.activity(organization, org_admin, held=date(2025, 5, 1), recorded=date(2025, 5, 1), people=30)
    fenghuang = OrganizationFactory(name="凤凰县乡村发展协会", region_id="433123000000")
    services.compute_scores(actor=None, province_code=HUNAN, year=2025, today=TODAY)
    return {"busy": busy, "fenghuang": fenghuang}


def names(queryset) -> set[str]:
    return {s.organization.name for s in queryset}


def test_who_sees_which_scores(
    scores, organization, org_admin, org_member, province_rural_revitalization, county_official,
    other_county_official, village_submitter, other_org_admin,
):  # fmt: skip
    everyone = {"花垣县助农服务中心", "很活跃的组织", "凤凰县乡村发展协会"}
    filters = ScoreFilters()
    assert names(selectors.score_list(province_rural_revitalization, filters)) == everyone
    assert names(selectors.score_list(county_official, filters)) == {"花垣县助农服务中心", "很活跃的组织"}
    assert names(selectors.score_list(other_county_official, filters)) == {"凤凰县乡村发展协会"}
    assert names(selectors.score_list(org_admin, filters)) == {"花垣县助农服务中心"}
    assert names(selectors.score_list(org_member, filters)) == set()  # members are not the organization's admins
    assert names(selectors.score_list(village_submitter, filters)) == set()
    assert names(selectors.score_list(other_org_admin, filters)) == set()


def test_filters_narrow_by_kind_level_region_and_keyword(scores, province_civil_affairs):
    def listed(**params):
        filters, problems = ScoreFilters.from_params(params)
        assert problems == {}
        return names(selectors.score_list(province_civil_affairs, filters))

    assert listed(region="433123") == {"凤凰县乡村发展协会"}
    assert listed(q="活跃") == {"很活跃的组织"}
    assert listed(kind="social_group") == set()
    assert listed(level="county", year="2025") == {"花垣县助农服务中心", "很活跃的组织", "凤凰县乡村发展协会"}
    assert listed(year="2024") == set()
    _, problems = ScoreFilters.from_params({"level": "village"})
    assert "level" in problems


def test_api_lists_and_details_and_hides_out_of_scope(
    client, scores, organization, county_official, other_county_official
):
    client.force_login(county_official)
    listed = client.get("/api/v1/evaluation/scores?year=2025").json()["items"]
    assert [(s["organization_name"], s["rank"]) for s in listed] == [("很活跃的组织", 1), ("花垣县助农服务中心", 2)]
    detail = client.get(f"/api/v1/evaluation/scores/{organization.pk}/2025").json()
    assert detail["total"] == "14.00"
    assert {p["code"] for p in detail["breakdown"]} == {i.code for i in Indicator.objects.filter(province_id=HUNAN)}
    client.force_login(other_county_official)
    assert client.get(f"/api/v1/evaluation/scores/{organization.pk}/2025").status_code == 404
    assert client.get(f"/evaluation/organizations/{organization.pk}/2025/").status_code == 404


def test_api_edits_indicators_and_computes(client, hunan_indicators, province_civil_affairs, county_civil_affairs):
    client.force_login(province_civil_affairs)
    body = {"province_code": "43", "category": "results", "code": "rooms", "name": "四小建设", "weight": "10",
            "formula": "min(1, facilities_in_use / 2)"}  # fmt: skip
    created = client.post("/api/v1/evaluation/indicators", json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["is_active"] is False
    rooms, pairing = created.json()["id"], next(i.pk for i in hunan_indicators if i.code == "pairing_rooms")
    unbalanced = {"province_code": HUNAN, "indicators": [{"id": rooms, "is_active": True}]}
    refused = client.put("/api/v1/evaluation/indicators", json.dumps(unbalanced), content_type="application/json")
    assert refused.status_code == 422 and "当前为 110 分" in refused.json()["detail"]
    balanced = {
        "province_code": HUNAN,
        "indicators": [{"id": rooms, "is_active": True}, {"id": pairing, "is_active": False}],
    }
    saved = client.put("/api/v1/evaluation/indicators", json.dumps(balanced), content_type="application/json")
    assert saved.status_code == 200
    assert sum(Decimal(i["weight"]) for i in saved.json() if i["is_active"]) == 100
    bad = client.patch(f"/api/v1/evaluation/indicators/{rooms}", json.dumps({"formula": "rooms * 2"}),
                       content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "未知的计量名称“rooms”" in bad.json()["detail"]
    computed = client.post("/api/v1/evaluation/scores/compute", json.dumps({"province_code": HUNAN, "year": 2025}),
                           content_type="application/json")  # fmt: skip
    assert computed.status_code == 200 and computed.json()["indicator_versions"]["rooms"] == 2
    client.force_login(county_civil_affairs)
    forbidden = client.post("/api/v1/evaluation/scores/compute", json.dumps({"province_code": HUNAN, "year": 2025}),
                            content_type="application/json")  # fmt: skip
    assert forbidden.status_code == 403


def test_measures_and_indicators_are_readable_by_anyone_signed_in(client, hunan_indicators, org_member):
    client.force_login(org_member)
    measures = client.get("/api/v1/evaluation/measures").json()
    assert {"name": "volunteer_hours", "label": "志愿服务时长", "unit": "小时"}.items() <= measures[7].items()
    listed = client.get("/api/v1/evaluation/indicators").json()  # the member's own province
    assert [i["code"] for i in listed][:2] == ["matches", "campaigns"]
    assert client.get("/api/v1/evaluation/indicators?province=140000000000").json() == []


def workbook_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_rating_export_carries_the_indicator_score_and_its_weight(client, scores, organization, province_civil_affairs):
    services.update_scheme(actor=province_civil_affairs, province_code=HUNAN, rating_points="80", rating_total="1000")
    client.force_login(province_civil_affairs)
    rows = workbook_rows(client.get("/evaluation/rating-export/?year=2025&q=助农"))
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    values = dict(zip(header, row, strict=True))
    assert values["统一社会信用代码"] == organization.credit_code
    assert (values["现评估等级"], values["评估年度"]) == ("4A", 2024)
    assert values["参与乡村振兴指标得分（百分制）"] == 14
    assert (values["指标在等级评估中的分值"], values["指标权重（%）"], values["折算得分"]) == (80, 8, 11.2)
    assert (values["类型"], values["登记层级"]) == ("社会服务机构", "县")


def test_commendation_list_takes_the_first_of_each_group(client, scores, province_civil_affairs):
    client.force_login(province_civil_affairs)
    top_one = client.get("/api/v1/evaluation/scores/commendation?year=2025&top=1").json()
    assert [s["organization_name"] for s in top_one] == ["很活跃的组织"]  # all three are county social service agencies
    rows = workbook_rows(client.get("/evaluation/commendation/export/?year=2025"))
    assert [row[1] for row in rows[1:]] == [
        "很活跃的组织",
        "花垣县助农服务中心",
        "凤凰县乡村发展协会",
    ]  # the scheme's 3
    page = client.get("/evaluation/commendation/?year=2025&top=2").content.decode()
    assert "花垣县助农服务中心" in page and "凤凰县乡村发展协会" not in page


def test_score_list_page_and_exports(client, scores, province_civil_affairs):
    client.force_login(province_civil_affairs)
    page = client.get("/evaluation/?year=2025").content.decode()
    assert "很活跃的组织" in page and "按现行指标重新计算本省得分" in page
    rows = workbook_rows(client.get("/evaluation/export/?year=2025"))
    assert rows[0][:8] == ("统一社会信用代码", "社会组织", "类型", "登记层级", "登记地", "年度", "组内排名", "总分")
    assert len(rows) == 4
    api_rows = workbook_rows(client.get("/api/v1/evaluation/scores/rating-export?year=2025"))
    assert len(api_rows) == 4


def test_organization_admin_reads_its_breakdown_page(client, scores, organization, org_admin, org_member):
    client.force_login(org_admin)
    page = client.get(f"/evaluation/organizations/{organization.pk}/2025/").content.decode()
    assert "得分明细" in page and "min(1, activities / 6 + volunteer_hours / 300)" in page and "14.00" in page
    client.force_login(org_member)
    assert client.get(f"/evaluation/organizations/{organization.pk}/2025/").status_code == 404


def test_indicator_editor_page_saves_the_table(client, hunan_indicators, province_civil_affairs, county_official):
    client.force_login(county_official)
    page = client.get("/evaluation/indicators/").content.decode()
    assert "承接供需对接" in page and "保存指标修改" not in page
    client.force_login(province_civil_affairs)
    assert "保存指标修改" in client.get("/evaluation/indicators/").content.decode()
    form = {}
    for i in hunan_indicators:
        form |= {f"version-{i.pk}": i.version, f"name-{i.pk}": i.name, f"weight-{i.pk}": i.weight,
                 f"formula-{i.pk}": i.formula, f"active-{i.pk}": "on"}  # fmt: skip
    first = hunan_indicators[0]
    refused = client.post("/evaluation/indicators/?province=" + HUNAN, form | {f"weight-{first.pk}": "20"})
    assert "当前为 105 分" in refused.content.decode()
    saved = client.post(
        "/evaluation/indicators/?province=" + HUNAN, form | {f"formula-{first.pk}": "matches_taken / 4"}
    )
    assert saved.status_code == 302
    first.refresh_from_db()
    assert (first.formula, first.version) == ("matches_taken / 4", 2)


def test_indicator_scheme_and_compute_forms(client, hunan_indicators, organization, province_civil_affairs):
    client.force_login(province_civil_affairs)
    new = {"province": HUNAN, "category": "results", "code": "x1", "name": "新指标", "weight": "5"}
    bad = client.post("/evaluation/indicators/new/", new | {"formula": "foo + 1"})
    assert "未知的计量名称“foo”" in bad.content.decode()
    good = client.post("/evaluation/indicators/new/", new | {"formula": "purchases / 1000"})
    assert good.status_code == 302 and Indicator.objects.filter(code="x1", is_active=False).exists()
    scheme = client.post("/evaluation/scheme/", {"province": HUNAN, "rating_points": "60", "rating_total": "1000",
                                                 "commendation_top": "5"})  # fmt: skip
    assert scheme.status_code == 302 and selectors.scheme(HUNAN).commendation_top == 5
    computed = client.post("/evaluation/compute/", {"province": HUNAN, "year": "2025"})
    assert computed.status_code == 302 and Score.objects.filter(year=2025).exists()


def test_management_commands_seed_and_compute(db, organization):
    out = io.StringIO()
    call_command("seed_indicators", "--province", HUNAN, stdout=out)
    call_command("compute_scores", "--province", HUNAN, "--year", "2025", stdout=out)
    assert "新增 7 项指标" in out.getvalue() and "湖南省 2025 年度：" in out.getvalue()
    assert Score.objects.filter(organization=organization, year=2025).exists()


def test_navigation_shows_evaluation_to_staff_and_organizations(client, county_official, village_submitter):
    from xiangzhen.core.navigation import menu_for

    assert "评估评价" in [i["label"] for i in menu_for(county_official, "/")]
    assert "评估评价" not in [i["label"] for i in menu_for(village_submitter, "/")]
    member = MembershipFactory(user=UserFactory(), organization=OrganizationFactory()).user
    assert "评估评价" in [i["label"] for i in menu_for(member, "/")]


def test_score_list_queries_do_not_grow_with_rows(
    client, scores, province_civil_affairs, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(province_civil_affairs)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/evaluation/scores?year=2025").status_code == 200
    for n in range(5):
        OrganizationFactory(name=f"新组织{n}")
    services.compute_scores(actor=None, province_code=HUNAN, year=2025, today=TODAY)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/evaluation/scores?year=2025").json()["items"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(len(few.captured_queries) + 4):
        assert client.get("/evaluation/?year=2025").status_code == 200
