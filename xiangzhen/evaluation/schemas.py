from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.evaluation.models import Indicator, Score


class MeasureOut(Schema):
    name: str
    label: str
    unit: str
    description: str


class IndicatorIn(Schema):
    province_code: str = Field(..., title="省份", description="省级区划代码（2 位或 12 位）")
    category: str = Field(
        ...,
        title="类别",
        description="participation / results / evaluations / timeliness / transparency",
    )
    code: str = Field(..., title="代码", max_length=40, description="小写字母、数字和下划线，省内唯一")
    name: str = Field(..., title="名称", max_length=100)
    weight: Decimal = Field(..., title="权重（分）", description="大于 0，不超过 100；启用的指标合计 100")
    formula: str = Field(
        ..., title="计算公式", max_length=500, description="计量名称的算术式，如 min(1, activities / 6)"
    )
    description: str = Field("", title="说明", max_length=2000)


class IndicatorPatch(Schema):
    """Changes to one indicator (what is not sent stays). `version` is the one the editor saw."""

    version: int | None = Field(None, title="版本")
    category: str | None = None
    name: str | None = Field(None, max_length=100)
    weight: Decimal | None = None
    formula: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=2000)
    is_active: bool | None = Field(None, title="启用")


class IndicatorChangeIn(IndicatorPatch):
    id: int = Field(..., title="指标编号")


class IndicatorBatchIn(Schema):
    province_code: str = Field(..., title="省份")
    indicators: list[IndicatorChangeIn] = Field(..., title="指标修改", description="一起生效；启用的权重合计须为 100")


class IndicatorOut(Schema):
    id: int
    province_code: str
    category: str
    category_label: str
    code: str
    name: str
    weight: Decimal
    formula: str
    description: str
    is_active: bool
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_province_code(obj: Indicator) -> str:
        return obj.province_id

    @staticmethod
    def resolve_category_label(obj: Indicator) -> str:
        return obj.get_category_display()


class SchemeIn(Schema):
    province_code: str = Field(..., title="省份")
    rating_points: Decimal = Field(..., title="等级评估中的分值", description="参与乡村振兴指标在等级评估中占的分值")
    rating_total: Decimal | None = Field(None, title="等级评估总分", description="默认 1000")
    commendation_top: int | None = Field(None, title="表彰候选每组名额")


class SchemeOut(Schema):
    province_code: str
    rating_points: Decimal
    rating_total: Decimal
    commendation_top: int

    @staticmethod
    def resolve_province_code(obj: Any) -> str:
        return str(obj.province_id)


class ComputeIn(Schema):
    province_code: str = Field(..., title="省份")
    year: int = Field(..., title="年度")


class ComputeOut(Schema):
    province_code: str
    year: int
    count: int
    indicator_versions: dict[str, int]


class ScoreOut(Schema):
    organization_id: int
    organization_name: str
    credit_code: str
    year: int
    province_code: str
    kind: str
    level: str
    region_code: str
    total: Decimal
    rank: int
    group_size: int
    computed_at: datetime

    @staticmethod
    def resolve_organization_name(obj: Score) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_credit_code(obj: Score) -> str:
        return obj.organization.credit_code

    @staticmethod
    def resolve_province_code(obj: Score) -> str:
        return obj.province_id

    @staticmethod
    def resolve_region_code(obj: Score) -> str:
        return obj.region_id


class ScoreDetailOut(ScoreOut):
    measures: dict[str, str]
    breakdown: list[dict[str, Any]]
    indicator_versions: dict[str, int]
