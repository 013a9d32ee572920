"""The region field every form uses. Its widget is the cascading region picker."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangzhen.regions.codes import LEVEL_ORDER, Level
from xiangzhen.regions.models import Designation, Region

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class RegionPickerWidget(forms.TextInput):
    """A hidden code input; `static/xiangzhen/region-picker.js` turns it into cascading selects with search."""

    template_name = "regions/widgets/region_picker.html"

    def __init__(self, levels: Sequence[str] | None = None, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.levels = list(levels or LEVEL_ORDER)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        region = Region.objects.filter(pk=value).first() if value else None
        context["widget"]["region"] = region
        context["widget"]["levels"] = self.levels
        return context


class RegionField(forms.CharField):
    """A region code, checked to exist and to be at one of `levels` (all levels by default)."""

    def __init__(self, *, levels: Sequence[str] | None = None, **kwargs: Any):
        self.levels = list(levels or LEVEL_ORDER)
        kwargs.setdefault("widget", RegionPickerWidget(levels=self.levels))
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Region | None:
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


DESIGNATION_LEVELS = [Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]


class DesignationFilterForm(forms.Form):
    """Filters of the designations list: kind, a region subtree, a name or code fragment."""

    kind = forms.ChoiceField(label=_("认定类型"), required=False)
    within = RegionField(label=_("所在区划"), required=False)
    q = forms.CharField(label=_("名称或代码"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("全部类型")), *Designation.Kind.choices]


class DesignationSetForm(forms.Form):
    """Replace one region's designations: the region picker and one checkbox per kind."""

    region = RegionField(label=_("区划"), levels=DESIGNATION_LEVELS)
    kinds = forms.MultipleChoiceField(
        label=_("认定类型"),
        required=False,
        choices=Designation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("重点帮扶县两类只能设在县级；其余只能设在乡镇或村。全部不选即清除该区划的认定。"),
    )


class DesignationImportForm(forms.Form):
    """Either a CSV/xlsx table (区划代码 or 名称, 认定类型) or a pasted list of one kind."""

    file = forms.FileField(
        label=_("导入文件"),
        required=False,
        help_text=_("CSV 或 xlsx，表头含“区划代码”或“名称”，以及“认定类型”（中文名称或类型代码）"),
    )
    text = forms.CharField(
        label=_("或粘贴名称/代码列表"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "433124110226\n十八洞村\n花垣县/某某村"}),
        help_text=_("每行一个区划代码或名称；同名的村可写成“县名/村名”"),
    )
    kind = forms.ChoiceField(label=_("认定类型（用于粘贴的列表）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "——"), *Designation.Kind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("请上传文件或粘贴列表，二者选一"))
        if not upload and not text:
            raise forms.ValidationError(_("请上传文件，或粘贴名称/代码列表"))
        if upload and upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", _("文件不超过 10 MB"))
        if text and not data.get("kind"):
            self.add_error("kind", _("粘贴列表时请选择认定类型"))
        return data


class DivisionImportForm(forms.Form):
    file = forms.FileField(
        label=_("统计用区划代码表"),
        help_text=_("CSV（UTF-8 或 GB18030）或 xlsx，表头含“统计用区划代码”和“名称”，只含乡镇级和村级"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不超过 10 MB"))
        return upload
