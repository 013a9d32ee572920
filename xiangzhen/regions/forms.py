"""The region field every form uses. Its widget is the cascading region picker."""

from typing import Any

from django import forms

from xiangzhen.regions.codes import LEVEL_ORDER, Level
from xiangzhen.regions.models import Region


class RegionPickerWidget(forms.TextInput):
    """A hidden code input; `static/xiangzhen/region-picker.js` turns it into cascading selects with search."""

    template_name = "regions/widgets/region_picker.html"

    def __init__(self, levels: list[str] | None = None, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.levels = levels or list(LEVEL_ORDER)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        region = Region.objects.filter(pk=value).first() if value else None
        context["widget"]["region"] = region
        context["widget"]["levels"] = self.levels
        return context


class RegionField(forms.CharField):
    """A region code, checked to exist and to be at one of `levels` (all levels by default)."""

    def __init__(self, *, levels: list[str] | None = None, **kwargs: Any):
        self.levels = levels or list(LEVEL_ORDER)
        kwargs.setdefault("widget", RegionPickerWidget(levels=self.levels))
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Region | None:  # type: ignore[override]
        code = super().clean(value)
        if not code:
            return None
        region = Region.objects.filter(pk=code).first()
        if region is None:
            raise forms.ValidationError("所选区划不存在，请重新选择")
        if region.level not in self.levels:
            allowed = "、".join(Level(level).label for level in self.levels)
            raise forms.ValidationError(f"请选择{allowed}级区划，“{region.name}”是{Level(region.level).label}级")
        return region
