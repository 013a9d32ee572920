import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.offers import excel, selectors, services
from xiangzhen.offers.models import Offer

NEXT_YEAR = date.today().year + 1
HUAYUAN = "433124000000"
SHUANGLONG = "433124110000"


def row(**overrides):
    values = {
        "external_ref": "",
        "title": "留守儿童课后辅导",
        "description": "每周三次课后辅导和阅读陪伴",
        "domains": "教育",
        "beneficiary_groups": "空巢老人",
        "service_regions": "花垣县",
        "aid_mode": "造血",
        "capacity_demands": 3,
        "capacity_amount": 50000,
        "in_kind": "图书 200 册",
        "window_start": date(NEXT_YEAR, 1, 1),
        "window_end": date(NEXT_YEAR, 12, 31),
    }
    values.update(overrides)
    return values


def workbook(rows, *, banner: bool = False, blank_after: int | None = None, headers=None) -> bytes:
    """A sheet like organizations make: optionally a merged title banner above the header, blank rows."""
    book = Workbook()
    sheet = book.active
    if banner:
        sheet.append(["2026 年供给项目汇总表"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(excel.IMPORT_COLUMNS))
    sheet.append(headers or excel.IMPORT_HEADERS)
    for index, r in enumerate(rows):
        sheet.append([r[c.key] for c in excel.IMPORT_COLUMNS])
        if blank_after is not None and index == blank_after:
            sheet.append([])
            sheet.append([None, "   "])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(actor, organization, content, **kwargs):
    return services.import_offers(
        actor=actor, organization=organization, filename="供给.xlsx", content=content, **kwargs
    )


@pytest.mark.django_db
def test_template_example_row_imports_as_it_is(organization, org_admin):
    content = excel.template_workbook(list(selectors.domain_names().values()), list(selectors.group_names().values()))
    data, notes = load_workbook(io.BytesIO(content)).worksheets
    assert [c.value for c in data[1]][:3] == ["外部编号", "项目名称*", "项目内容*"]
    note_text = " ".join(str(c.value) for r in notes.iter_rows() for c in r if c.value)
    assert "产业振兴" in note_text and "空巢老人" in note_text and "外部编号" in note_text
    report = run(org_admin, organization, content)
    assert report.ok, report.errors
    offer = Offer.objects.get()
    assert offer.status == Offer.Status.DRAFT and offer.aid_mode == "self_development"
    assert sorted(r.name for r in offer.service_regions.all()) == ["沱江镇", "花垣县"]


@pytest.mark.django_db
def test_preview_writes_nothing_then_confirm_creates_drafts(organization, org_admin):
    content = workbook([row(), row(title="村道路灯", domains="人居环境、民生保障", beneficiary_groups="")])
    preview = run(org_admin, organization, content, dry_run=True)
    assert preview.ok and preview.created == 2 and preview.rows[0].row_number == 2
    assert not Offer.objects.exists()
    report = run(org_admin, organization, content)
    assert report.created == 2 and len(report.numbers) == 2
    offers = Offer.objects.order_by("title")
    assert all(o.status == Offer.Status.DRAFT and o.created_by == org_admin for o in offers)
    assert all(o.number.startswith("GJ-433124-") for o in offers)
    lamp = offers.get(title="村道路灯")
    assert sorted(d.name for d in lamp.domains.all()) == ["人居环境", "民生保障"]
    assert lamp.capacity_amount == Decimal("50000.00")
    entries = AuditEntry.objects.filter(action="offers.import")
    assert entries.count() == 2 and entries.first().note == "供给.xlsx"


@pytest.mark.django_db
def test_reimport_does_not_duplicate(organization, org_admin):
    content = workbook([row(), row(title="第二个")])
    run(org_admin, organization, content)
    again = run(org_admin, organization, content)
    assert again.ok and again.created == 0 and again.existing == 2 and again.numbers == []
    assert Offer.objects.count() == 2


@pytest.mark.django_db
def test_external_ref_identifies_the_row_even_when_the_title_changes(organization, org_admin):
    run(org_admin, organization, workbook([row(external_ref="GY-01")]))
    renamed = run(org_admin, organization, workbook([row(external_ref="gy-01 ", title="改过的名称")]))
    assert renamed.existing == 1 and renamed.created == 0
    # Without a reference, a changed window is another offer.
    other = run(org_admin, organization, workbook([row(window_end=date(NEXT_YEAR, 6, 30))]))
    assert other.created == 1


@pytest.mark.django_db
def test_same_rows_of_another_organization_are_its_own(organization, org_admin, platform_admin):
    from xiangzhen.organizations.tests.factories import OrganizationFactory

    content = workbook([row(external_ref="GY-01")])
    run(org_admin, organization, content)
    other = OrganizationFactory(name="另一个组织", region_id=HUAYUAN)
    report = run(platform_admin, other, content)
    assert report.created == 1
    assert Offer.objects.filter(organization=other, created_by=platform_admin).count() == 1


@pytest.mark.django_db
def test_messy_file_is_read(organization, org_admin):
    content = workbook(
        [
            row(
                capacity_demands="３个",
                capacity_amount="¥５万",
                window_start="２０２７年１月１日",
                service_regions="４３３１２４，凤凰县/沱江镇",
                domains="教育，卫生健康",
                aid_mode="造血（能力建设）",
            ),
            row(title="第二行", capacity_demands=2.0, window_start=f"{NEXT_YEAR}/01/01", service_regions="全国"),
            row(title="第三行", service_regions="吉林省/朝阳区"),
        ],
        banner=True,
        blank_after=0,
    )
    report = run(org_admin, organization, content)
    assert report.ok, report.errors
    first = Offer.objects.get(title="留守儿童课后辅导")
    assert first.capacity_demands == 3 and first.capacity_amount == Decimal("50000.00")
    assert first.window_start == date(2027, 1, 1)
    assert sorted(r.full_name for r in first.service_regions.all()) == [
        "湖南省 湘西土家族苗族自治州 凤凰县 沱江镇",
        "湖南省 湘西土家族苗族自治州 花垣县",
    ]
    assert Offer.objects.get(title="第二行").nationwide
    assert Offer.objects.get(title="第三行").service_regions.get().full_name.startswith("吉林省 长春市")


@pytest.mark.django_db
def test_merged_header_cells_are_read(organization, org_admin):
    book = Workbook()
    sheet = book.active
    sheet.append(["供给项目"] + [None] * (len(excel.IMPORT_COLUMNS) - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(excel.IMPORT_COLUMNS))
    sheet.append(excel.IMPORT_HEADERS)
    sheet.append([None] * len(excel.IMPORT_COLUMNS))
    sheet.merge_cells(start_row=2, start_column=2, end_row=3, end_column=2)  # 项目名称 over two rows
    sheet.append([row()[c.key] for c in excel.IMPORT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    report = run(org_admin, organization, out.getvalue())
    assert report.ok, report.errors
    assert report.rows[0].row_number == 4


@pytest.mark.django_db
def test_bad_rows_reported_with_numbers_and_nothing_written(organization, org_admin):
    content = workbook(
        [
            row(),
            row(title="", capacity_demands="五", window_start="明年"),
            row(service_regions="不存在县", aid_mode="送钱", capacity_amount="很多"),
            row(domains="", window_end=date(NEXT_YEAR - 2, 1, 1)),
            row(service_regions="全国、花垣县", beneficiary_groups="外星人"),
            row(service_regions="朝阳区"),  # 北京市 and 长春市 both have one
            row(),
        ]
    )
    report = run(org_admin, organization, content)
    assert not report.ok
    messages = {}
    for number, message in report.errors:
        messages.setdefault(number, []).append(message)
    assert 2 not in messages
    assert any("项目名称" in m for m in messages[3])
    assert any("可承接需求数" in m and "五" in m for m in messages[3])
    assert any("开始日期“明年”" in m for m in messages[3])
    assert sum("开始日期" in m for m in messages[3]) == 1  # the unreadable date is named once
    assert any("不存在县" in m for m in messages[4]) and any("帮扶方式“送钱”" in m for m in messages[4])
    assert any("可投入资金“很多”" in m for m in messages[4])
    assert any("服务领域" in m for m in messages[5]) and any("不能早于开始日期" in m for m in messages[5])
    assert any("全国" in m for m in messages[6]) and any("受益群体“外星人”" in m for m in messages[6])
    assert any("重名" in m for m in messages[7])
    assert messages[8] == ["与第 2 行重复（项目名称和服务期限相同）"]
    assert not Offer.objects.exists() and not AuditEntry.objects.filter(action="offers.import").exists()


@pytest.mark.django_db
def test_file_level_problems(organization, org_admin):
    with pytest.raises(ValidationFailed, match=r"\.xlsx"):
        services.import_offers(actor=org_admin, organization=organization, filename="供给.csv", content=b"a,b")
    with pytest.raises(ValidationFailed, match="无法读取"):
        run(org_admin, organization, b"not a zip")
    with pytest.raises(ValidationFailed, match="找不到表头"):
        run(org_admin, organization, workbook([], headers=["甲", "乙"]))
    with pytest.raises(ValidationFailed, match="表头缺少“服务区域"):
        headers = [h for h in excel.IMPORT_HEADERS if not h.startswith("服务区域")]
        run(org_admin, organization, workbook([], headers=headers))
    with pytest.raises(ValidationFailed, match="没有数据行"):
        run(org_admin, organization, workbook([]))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["org_member", "other_org_admin", "county_civil_affairs", "county_official"])
def test_only_the_organizations_admins_or_platform_admins_import(request, organization, role):
    with pytest.raises(Forbidden):
        run(request.getfixturevalue(role), organization, workbook([row()]))
    assert not Offer.objects.exists()


@pytest.mark.django_db
def test_form_and_import_refuse_the_same_things(organization, org_admin):
    """The import runs the form's rules: an over-long window fails the same way on both paths."""
    long_end = date(NEXT_YEAR + 6, 1, 1)
    report = run(org_admin, organization, workbook([row(window_end=long_end)]))
    assert any("服务期限不超过 5 年" in m for _, m in report.errors)


@pytest.mark.django_db
def test_import_page_preview_then_confirm(client, organization, org_admin):
    client.force_login(org_admin)
    listing = client.get(reverse("offers:list"))
    assert reverse("offers:import_choose") in listing.content.decode()
    chooser = client.get(reverse("offers:import_choose"))
    assert chooser.status_code == 302 and chooser["Location"] == reverse("offers:import", args=[organization.pk])
    url = reverse("offers:import", args=[organization.pk])
    upload = io.BytesIO(workbook([row()]))
    upload.name = "供给.xlsx"
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200 and "留守儿童课后辅导" in preview.content.decode()
    assert not Offer.objects.exists()
    done = client.post(url, {"confirm": "1", "digest": preview.context["digest"]})
    assert done.status_code == 302
    assert Offer.objects.get().status == Offer.Status.DRAFT
    template = client.get(reverse("offers:import_template"))
    assert template.status_code == 200 and "spreadsheetml" in template["Content-Type"]


@pytest.mark.django_db
def test_import_page_of_another_organization_looks_missing(client, organization, other_org_admin):
    client.force_login(other_org_admin)
    assert client.get(reverse("offers:import", args=[organization.pk])).status_code == 404


@pytest.mark.django_db
def test_platform_admin_finds_the_organization_to_import_for(client, organization, platform_admin):
    client.force_login(platform_admin)
    response = client.get(reverse("offers:import_choose"), {"q": "助农"})
    assert organization.name in response.content.decode()


@pytest.mark.django_db
def test_api_preview_and_confirm(client, organization, org_admin):
    client.force_login(org_admin)
    url = f"/api/v1/offers/import/{organization.pk}"
    upload = io.BytesIO(workbook([row()]))
    upload.name = "供给.xlsx"
    preview = client.post(f"{url}/preview", {"file": upload})
    assert preview.status_code == 200 and preview.json()["created"] == 1
    upload.seek(0)
    confirmed = client.post(url, {"file": upload})
    assert confirmed.status_code == 200 and len(confirmed.json()["numbers"]) == 1
    missing = client.post(url)
    assert missing.status_code == 422


@pytest.mark.django_db
def test_api_out_of_scope_organization_is_404(client, organization, other_org_admin):
    client.force_login(other_org_admin)
    upload = io.BytesIO(workbook([row()]))
    upload.name = "供给.xlsx"
    assert client.post(f"/api/v1/offers/import/{organization.pk}/preview", {"file": upload}).status_code == 404
