"""Charts as data: what `templates/stats/_chart.html` draws with ECharts and prints as a table.

A view builds a `Chart` (bar, line, pie, or a choropleth `region_map` of a region's children) and
hands it to the include; the same rows make the table under the chart and its Excel sheet, so a
figure on screen, in the table and in the download is always the same number. No database access.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from xiangzhen.core import excel

Number = Decimal | int | float | str | None
NAME_HEADER = gettext_lazy("名称")


def heading(label: StrOrPromise, unit: StrOrPromise = "") -> str:
    """A column or row heading with its unit, if any: "发布需求（个）"."""
    return _("%(label)s（%(unit)s）") % {"label": label, "unit": unit} if unit else str(label)


@dataclass
class Chart:
    """`categories` label the x axis (or the slices, or the regions of a map); each series has one
    value per category; `links` (optional, one per category) make a category a drill-down link in
    the table and a click target on the chart; `codes` are the regions' codes on a map."""

    id: str
    title: str
    kind: str  # "bar" | "line" | "pie" | "map"
    categories: list[str]
    series: list[tuple[str, Sequence[Number]]]
    unit: StrOrPromise = ""
    category_header: StrOrPromise = NAME_HEADER
    links: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    map_code: str = ""  # for maps: the 6-digit adcode of the region whose children are drawn
    export_url: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.id):
            raise ValueError(f"chart id must be lowercase letters, digits and dashes: {self.id!r}")
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(f"series {name!r} has {len(values)} values for {len(self.categories)} categories")

    @property
    def data_id(self) -> str:
        return f"chart-{self.id}-data"

    @property
    def spec(self) -> dict[str, Any]:
        """What charts.js reads (through json_script)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "categories": self.categories,
            "series": [{"name": name, "values": [_json_number(v) for v in values]} for name, values in self.series],
            "links": self.links,
            "codes": [code[:6] for code in self.codes],
            "map": self.map_code,
        }

    @property
    def headers(self) -> list[str]:
        return [str(self.category_header)] + [heading(name, self.unit) for name, _values in self.series]

    @property
    def rows(self) -> list[list[tuple[str, str]]]:
        """Table cells as (text, link) pairs; the first cell links when the chart has links."""
        result = []
        for i, category in enumerate(self.categories):
            link = self.links[i] if i < len(self.links) else ""
            result.append([(category, link)] + [(_text(values[i]), "") for _, values in self.series])
        return result

    def sheet_rows(self) -> list[list[Any]]:
        return [
            [category] + [_cell(values[i]) for _, values in self.series] for i, category in enumerate(self.categories)
        ]


def region_map(
    *,
    id: str,
    title: str,
    parent_code: str,
    regions: Sequence[tuple[str, str]],
    series: list[tuple[str, Sequence[Number]]],
    unit: StrOrPromise = "",
    links: list[str] | None = None,
    export_url: str = "",
) -> Chart:
    """A choropleth of `parent_code`'s children: `regions` are (code, name) pairs in table order,
    the first series colours the map. Use the county's code as parent to draw its townships (no
    map data below county: the chart then falls back to bars)."""
    return Chart(
        id=id,
        title=title,
        kind="map",
        categories=[name for _, name in regions],
        series=series,
        unit=unit,
        category_header=_("区划"),
        links=list(links or []),
        codes=[code for code, _ in regions],
        map_code="000000" if parent_code == "" else parent_code[:6],
        export_url=export_url,
    )


def _json_number(value: Number) -> float | int | str | None:
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _text(value: Number) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _cell(value: Number) -> Any:
    return value if value is not None else ""


def excel_response(charts: Sequence[Chart], filename: str) -> HttpResponse:
    """Every chart's table as one sheet each, in one workbook."""
    workbook = None
    for chart in charts:
        title = chart.title[:31] or chart.id
        if workbook is None:
            workbook, sheet = excel.new_sheet(title)
        else:
            if title in workbook.sheetnames:
                # Long (English) titles can agree in their first 31 characters, Excel's limit.
                title = f"{title[:28]}-{len(workbook.sheetnames)}"
            sheet = workbook.create_sheet(title)
        excel.header_row(sheet, chart.headers, [24] + [16] * len(chart.series))
        for row in chart.sheet_rows():
            sheet.append(row)
    if workbook is None:
        workbook, _sheet = excel.new_sheet(_("统计"))
    return excel.download(excel.to_bytes(workbook), filename)
