import io

import pytest
from openpyxl import load_workbook

from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.organizations import excel, selectors, services
from xiangzhen.organizations.credit_code import make_credit_code
from xiangzhen.organizations.filters import OrganizationFilters
from xiangzhen.organizations.models import Organization
from xiangzhen.organizations.tests.factories import OrganizationFactory, credit_code_for

HUAYUAN, FENGHUANG = "433124000000", "433123000000"


def row(**overrides):
    values = {
        "name": "花垣县民族团结促进会",
        "credit_code": credit_code_for("social_group", HUAYUAN),
        "kind": "社会团体",
        "region_code": HUAYUAN,
        "registration_authority": "花垣县民政局",
        "supervising_unit": "",
        "domains": "教育、养老",
        "rating": "3A",
        "rating_year": "2023",
        "is_hub": "否",
        "is_rural_community": "是",
        "founder_type": "退役军人",
        "contact_name": "龙飞",
        "contact_phone": "13907430000",
        "address": "花垣镇",
        "description": "",
    }
    values.update(overrides)
    return values


def workbook(rows) -> bytes:
    """The downloaded template with its example row replaced by `rows`."""
    book = load_workbook(io.BytesIO(excel.template_workbook(selectors.domain_names())))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    for r in rows:
        sheet.append([r[c.key] for c in excel.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(actor, rows, dry_run=False):
    return services.import_organizations(actor=actor, filename="orgs.xlsx", content=workbook(rows), dry_run=dry_run)


@pytest.mark.django_db
def test_template_has_chinese_headers_example_and_explanations():
    book = load_workbook(io.BytesIO(excel.template_workbook(selectors.domain_names())))
    data, notes = book.worksheets
    headers = [c.value for c in data[1]]
    assert headers[:4] == ["名称*", "统一社会信用代码*", "类型*", "登记地区划代码*"]
    assert data.cell(row=2, column=1).value == excel.EXAMPLE.name
    note_text = " ".join(str(c.value) for r in notes.iter_rows() for c in r if c.value)
    assert "基金会" in note_text and "产业振兴" in note_text and "返乡创业农民工" in note_text


@pytest.mark.django_db
def test_example_row_of_template_imports_as_is(county_civil_affairs):
    content = excel.template_workbook(selectors.domain_names())
    report = services.import_organizations(actor=county_civil_affairs, filename="t.xlsx", content=content)
    assert report.ok and report.created == 1
    organization = Organization.objects.get(credit_code=excel.EXAMPLE.credit_code)
    assert organization.founder_type == "returning_migrant_worker"
    assert sorted(d.code for d in organization.domains.all()) == ["education", "industry"]


@pytest.mark.django_db
def test_preview_writes_nothing_then_confirm_creates_approved_and_audited(county_civil_affairs):
    rows = [row(), row(name="花垣县养老服务中心", kind="社会服务机构", credit_code=credit_code_for())]
    preview = run(county_civil_affairs, rows, dry_run=True)
    assert preview.ok and preview.created == 2 and [r.outcome for r in preview.rows] == ["create", "create"]
    assert not Organization.objects.exists()
    report = run(county_civil_affairs, rows)
    assert report.created == 2
    organization = Organization.objects.get(name="花垣县民族团结促进会")
    assert organization.status == "approved" and organization.reviewed_by == county_civil_affairs
    assert organization.rating == "3A" and organization.rating_year == 2023 and organization.founder_type == "veteran"
    assert sorted(d.code for d in organization.domains.all()) == ["education", "elderly_care"]
    assert AuditEntry.objects.filter(action="organizations.import", actor=county_civil_affairs).count() == 2


@pytest.mark.django_db
def test_reimport_is_idempotent_and_updates_changes(county_civil_affairs):
    rows = [row(), row(name="第二个", credit_code=credit_code_for("social_group"))]
    run(county_civil_affairs, rows)
    again = run(county_civil_affairs, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Organization.objects.count() == 2
    rows[1]["contact_phone"] = "0743-7220000"
    changed = run(county_civil_affairs, rows)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    organization = Organization.objects.get(name="第二个")
    assert organization.contact_phone == "0743-7220000" and organization.version == 2
    assert AuditEntry.objects.filter(action="organizations.import").count() == 3


@pytest.mark.django_db
def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_written(county_civil_affairs):
    good = row()
    wrong_check = good["credit_code"][:17] + ("0" if good["credit_code"][17] != "0" else "1")
    foundation_code = make_credit_code("53433124", "MJ000777")
    rows = [
        good,  # row 2
        row(name="校验位错", credit_code=wrong_check),  # row 3
        row(name="区划不存在", credit_code=credit_code_for("social_group"), region_code="433199000000"),  # row 4
        row(name="不在管辖", credit_code=credit_code_for("social_group", FENGHUANG), region_code=FENGHUANG),  # 5
        row(name="类型不符", credit_code=foundation_code),  # row 6: a foundation's code on a social group
        row(name="重复", credit_code=good["credit_code"]),  # row 7
        row(name="是否错", credit_code=credit_code_for("social_group"), is_hub="也许"),  # row 8
    ]
    report = run(county_civil_affairs, rows)
    assert not report.ok
    by_row: dict[int, list[str]] = {}
    for number, message in report.errors:
        by_row.setdefault(number, []).append(message)
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]
    assert "校验位错误" in by_row[3][0] and "第 18 位应为" in by_row[3][0]
    assert by_row[4] == ["登记地区划代码“433199000000”不存在"]
    assert "不在您的管辖范围内" in by_row[5][0]
    assert "与所选类型不符" in by_row[6][0]
    assert by_row[7] == [f"统一社会信用代码 {good['credit_code']} 与第 2 行重复"]
    assert "枢纽型社会组织应填“是”或“否”" in by_row[8][0]
    assert not Organization.objects.exists()
    assert report.created == 0 and report.rows == []


@pytest.mark.django_db
def test_existing_code_outside_scope_is_an_error(county_civil_affairs, other_org_admin):
    other = Organization.objects.get(region_id=FENGHUANG)
    report = run(county_civil_affairs, [row(credit_code=other.credit_code, kind="社会团体")])
    assert report.errors and "已由其他地区登记" in report.errors[0][1]


@pytest.mark.django_db
def test_only_civil_affairs_and_admins_import(county_official, org_admin, city_civil_affairs, platform_admin):
    for user in (county_official, org_admin):
        with pytest.raises(Forbidden):
            run(user, [row()])
    assert run(city_civil_affairs, [row()]).created == 1  # 花垣县 is inside 湘西州
    assert run(platform_admin, [row(credit_code=credit_code_for("social_group"))]).created == 1


@pytest.mark.django_db
def test_wrong_headers_are_refused(county_civil_affairs):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["名字", "代码"])
    book.active.append(["x", "y"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationFailed) as info:
        services.import_organizations(actor=county_civil_affairs, filename="x.xlsx", content=out.getvalue())
    assert info.value.errors[0].field == "file" and "表头缺少“名称”列" in info.value.message


@pytest.mark.django_db
def test_export_has_template_columns_and_only_filtered_rows_in_scope(
    county_civil_affairs, organization, other_org_admin
):
    hub = OrganizationFactory(name="花垣县枢纽", is_hub=True, rating="4A", rating_year=2024)
    filters = OrganizationFilters.model_validate({"is_hub": True})
    content = excel.export_workbook(selectors.export_rows(county_civil_affairs, filters), selectors.domain_names())
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == excel.HEADERS
    assert [r[0] for r in rows[1:]] == [hub.name]
    assert rows[1][1] == hub.credit_code and rows[1][2] == "社会服务机构" and rows[1][7] == "4A"


@pytest.mark.django_db
def test_export_round_trips_through_import(county_civil_affairs, organization):
    content = excel.export_workbook(
        selectors.export_rows(county_civil_affairs, OrganizationFilters()), selectors.domain_names()
    )
    report = services.import_organizations(actor=county_civil_affairs, filename="export.xlsx", content=content)
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 1)
