"""Input and output models of the regions API."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Designation


class DesignationOut(Schema):
    kind: str
    label: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    full_name: str
    parent_code: str | None

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(Level(obj.level).label)

    @staticmethod
    def resolve_parent_code(obj: Any) -> str | None:
        return obj.parent_id


class RegionDetailOut(RegionOut):
    designations: list[DesignationOut]
    ancestors: list[RegionOut]


class ChildOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    counts: dict[str, int] = Field(description="下辖各层级区划数，键为层级")
    designations: list[DesignationOut]


class CountsOut(Schema):
    code: str
    counts: dict[str, int] = Field(description="下辖各层级区划数，键为层级")


class DesignatedRegionOut(Schema):
    region: RegionOut
    kind: str
    label: str
    set_at: datetime
    set_by: str | None

    @staticmethod
    def resolve_label(obj: Designation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_set_by(obj: Designation) -> str | None:
        return str(obj.set_by) if obj.set_by_id else None


class DesignationsIn(Schema):
    kinds: list[str] = Field(description="认定类型代码列表，空列表表示清除全部认定")
