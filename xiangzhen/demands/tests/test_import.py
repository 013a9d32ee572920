import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.demands import excel, selectors, services
from xiangzhen.demands.models import Demand

NEXT_YEAR = timezone.localdate().year + 1


def row(**overrides):
    values = {
        "title": "留守儿童课后辅导",
        "description": "30 名留守儿童需要课后辅导",
        "region": "双龙镇/十八洞村",
        "domains": "教育",
        "beneficiaries": "农村留守儿童:30;空巢老人:12",
        "aid_mode": "输血",
        "budget": 20000,
        "in_kind": "图书 200 册",
        "period_start": "",
        "period_end": "",
        "deadline": datetime.date(NEXT_YEAR, 6, 30),
        "contact_name": "石金",
        "contact_phone": "13974300000",
        "on_behalf_of_household": "否",
        "household_name": "",
        "household_consent": "",
    }
    values.update(overrides)
    return values


def workbook(rows, *, banner: bool = False, blank_after: int | None = None) -> bytes:
    """A sheet like officials make: optionally a merged title banner above the header, blank rows."""
    book = Workbook()
    sheet = book.active
    if banner:
        sheet.append(["花垣县 2026 年乡村振兴需求汇总表"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(excel.COLUMNS))
    sheet.append(excel.HEADERS)
    for index, r in enumerate(rows):
        sheet.append([r[c.key] for c in excel.COLUMNS])
        if blank_after is not None and index == blank_after:
            sheet.append([])
            sheet.append([None, "   "])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(actor, content, **kwargs):
    return services.import_demands(actor=actor, filename="需求.xlsx", content=content, **kwargs)


@pytest.mark.django_db
def test_template_has_headers_example_and_instructions(county_official):
    content = excel.template_workbook(selectors.domain_names(), selectors.group_names(), "双龙镇/十八洞村")
    data, notes = load_workbook(io.BytesIO(content)).worksheets
    assert [c.value for c in data[1]][:3] == ["标题*", "需求描述*", "所在地*"]
    assert data.cell(row=2, column=1).value == "留守儿童课后辅导"
    note_text = " ".join(str(c.value) for r in notes.iter_rows() for c in r if c.value)
    assert "农村留守儿童:30;空巢老人:12" in note_text and "产业振兴" in note_text and "空巢老人" in note_text
    report = run(county_official, content)  # the example row imports as it is
    assert report.ok and report.created == 1
    demand = Demand.objects.get()
    assert demand.region_id == "433124110226" and demand.in_kind == "课外读物 200 册"


@pytest.mark.django_db
def test_preview_writes_nothing_then_confirm_creates_submitted(county_official):
    content = workbook(
        [row(), row(title="村道路灯", domains="人居环境、民生保障", beneficiaries="", region="433124110226")]
    )
    preview = run(county_official, content, dry_run=True)
    assert preview.ok and preview.created == 2 and [r.outcome for r in preview.rows] == ["create", "create"]
    assert not Demand.objects.exists()
    report = run(county_official, content)
    assert report.created == 2 and len(report.numbers) == 2
    demand = Demand.objects.get(title="留守儿童课后辅导")
    assert demand.status == "submitted" and demand.entered_by == county_official
    assert {b.group.name: b.head_count for b in demand.beneficiaries.all()} == {"农村留守儿童": 30, "空巢老人": 12}
    lamps = Demand.objects.get(title="村道路灯")
    assert sorted(d.name for d in lamps.domains.all()) == ["人居环境", "民生保障"]
    assert AuditEntry.objects.filter(action="demands.import").count() == 2


@pytest.mark.django_db
def test_reimport_does_not_duplicate(county_official):
    content = workbook([row(), row(title="第二个")])
    run(county_official, content)
    again = run(county_official, content)
    assert again.ok and (again.created, again.existing) == (0, 2)
    assert Demand.objects.count() == 2
    # Same row typed with extra spaces and full-width letters is still the same row.
    third = run(county_official, workbook([row(title="  留守儿童课后辅导 ")]))
    assert (third.created, third.existing) == (0, 1)


@pytest.mark.django_db
def test_direct_publish_option(county_official):
    report = run(county_official, workbook([row()]), publish=True)
    demand = Demand.objects.get(number=report.numbers[0])
    assert demand.status == "published" and demand.published_by == county_official


@pytest.mark.django_db
def test_messy_file_is_read(county_official):
    """Banner row merged over the header, blank rows, full-width digits, numbers typed as text."""
    content = workbook(
        [
            row(budget="２００００", contact_phone="１３９７４３０００００", deadline=f"{NEXT_YEAR}年６月３０日"),
            row(title="第二个", region="４３３１２４１１０２２６", budget="1.5万", beneficiaries="农村留守儿童：３０"),
        ],
        banner=True,
        blank_after=0,
    )
    report = run(county_official, content)
    assert report.ok, report.errors
    first, second = Demand.objects.order_by("id")
    assert str(first.budget) == "20000.00" and first.contact_phone == "13974300000"
    assert first.deadline == datetime.date(NEXT_YEAR, 6, 30)
    assert str(second.budget) == "15000.00" and second.region_id == "433124110226"
    assert [r.row_number for r in report.rows] == [3, 6]  # banner row 1, header 2, blank rows 4–5


@pytest.mark.django_db
def test_merged_header_cells_are_read(county_official):
    book = Workbook()
    sheet = book.active
    sheet.append(excel.HEADERS)
    sheet.append([""] * len(excel.HEADERS))
    sheet.merge_cells(start_row=1, start_column=1, end_row=2, end_column=1)  # 标题 spans two header rows
    sheet.merge_cells(start_row=1, start_column=2, end_row=2, end_column=2)
    r = row()
    sheet.append([r[c.key] for c in excel.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    report = run(county_official, out.getvalue())
    assert report.ok, report.errors
    assert [x.row_number for x in report.rows] == [3]


@pytest.mark.django_db
def test_bad_rows_reported_with_numbers_and_nothing_written(county_official, fenghuang_village):
    rows = [
        row(),  # 2
        row(title="未知村", region="双龙镇/不存在村"),  # 3
        row(title="资金是文字", budget="两万元"),  # 4
        row(title="日期错", deadline="明年夏天"),  # 5
        row(title="群体错", beneficiaries="外星人:3"),  # 6
        row(title="人数错", beneficiaries="空巢老人:很多"),  # 7
        row(title="外县", region=fenghuang_village),  # 8
        row(),  # 9: duplicate of row 2
        row(title="代填未同意", on_behalf_of_household="是", household_name="龙大爷", household_consent="否"),  # 10
        row(title="方式错", aid_mode="送钱"),  # 11
    ]
    report = run(county_official, workbook(rows))
    assert not report.ok
    by_row: dict[int, list[str]] = {}
    for number, message in report.errors:
        by_row.setdefault(number, []).append(message)
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "“双龙镇/不存在村”在本县区划中不存在" in by_row[3][0] and len(by_row[3]) == 1
    assert by_row[4] == ["所需资金“两万元”应为数字（单位：元）"]
    assert "征集截止日期“明年夏天”不是有效日期" in by_row[5][0]
    assert "受益群体“外星人”不存在" in by_row[6][0]
    assert "人数“很多”应为大于 0 的整数" in by_row[7][0]
    assert "不在您的管辖范围内" in by_row[8][0]
    assert by_row[9] == ["与第 2 行重复（标题、所在地和截止日期相同）"]
    assert "须经农户本人同意" in by_row[10][0]
    assert "帮扶方式“送钱”不正确" in by_row[11][0]
    assert not Demand.objects.exists() and report.rows == []


@pytest.mark.django_db
def test_file_level_problems(county_official):
    with pytest.raises(ValidationFailed) as info:
        services.import_demands(actor=county_official, filename="a.csv", content=b"x")
    assert info.value.errors[0].field == "file"
    with pytest.raises(ValidationFailed) as info:
        run(county_official, b"not an excel file")
    assert "无法读取" in info.value.message
    book = Workbook()
    book.active.append(["名称", "电话"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationFailed) as info:
        run(county_official, out.getvalue())
    assert "找不到表头" in info.value.message
    with pytest.raises(ValidationFailed) as info:
        run(county_official, workbook([]))
    assert "没有数据行" in info.value.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["village_submitter", "province_rural_revitalization", "county_civil_affairs", "org_admin"]
)
def test_only_county_rural_staff_import(request, role):
    with pytest.raises(Forbidden):
        run(request.getfixturevalue(role), workbook([row()]))


@pytest.mark.django_db
def test_export_round_trips_into_import(county_official, published_demand):
    content = excel.export_workbook(
        selectors.export_rows(selectors.demand_list(county_official)), selectors.domain_names(), selectors.group_names()
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["编号", "状态", "标题*"]
    values = dict(zip(headers, [c.value for c in sheet[2]], strict=True))
    assert values["编号"] == published_demand.number and values["联系电话*"] == "139****0000"
