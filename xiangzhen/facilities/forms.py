"""Page forms. They shape input only; the rules are in `validation.py`, `rules.py` and the services."""

from typing import Any

from django import forms

from xiangzhen.core.forms import DateInput, MultipleFileField, ServiceErrorsMixin
from xiangzhen.facilities.models import Facility, FacilityUsage
from xiangzhen.facilities.validation import ALLOWED_USAGE, FacilityData, UsageData
from xiangzhen.regions.codes import Level
from xiangzhen.regions.forms import RegionField


class FacilityForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"builder_id": "builder"}

    kind = forms.ChoiceField(label="类型", choices=Facility.Kind.choices)
    name = forms.CharField(label="名称", max_length=200, help_text="如 十八洞村阅读小屋")
    village = RegionField(label="所在村（社区）", levels=[Level.VILLAGE])
    builder = forms.TypedChoiceField(label="建设组织", coerce=int, choices=[])
    funding = forms.DecimalField(label="建设资金（元）", min_value=0, max_digits=14, decimal_places=2, required=False)
    campaign = forms.CharField(
        label="专项行动编号", max_length=40, required=False, help_text="属于某个“四小建设助振兴”专项行动时填写"
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, builders: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["builder"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = builders

    def to_data(self) -> FacilityData:
        c = self.cleaned_data
        return FacilityData(
            kind=c["kind"], name=c["name"], village=c["village"].code if c.get("village") else "",
            builder_id=c["builder"], funding=c.get("funding") or "0", campaign=c.get("campaign") or "",
            address=c.get("address") or "", description=c.get("description") or "",
        )  # fmt: skip


class UsageForm(ServiceErrorsMixin, forms.Form):
    used_on = forms.DateField(label="日期", widget=DateInput)
    kind = forms.ChoiceField(label="类型", choices=[])
    count = forms.IntegerField(label="数量", min_value=1, help_text="人次、场次；直播销售填订单笔数")
    amount = forms.DecimalField(
        label="销售额（元）", min_value=0, max_digits=14, decimal_places=2, required=False, help_text="仅直播销售填写"
    )
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in FacilityUsage.Kind.choices if v in ALLOWED_USAGE[facility.kind]]
        if facility.kind != Facility.Kind.LIVESTREAM_ROOM:
            del self.fields["amount"]

    def to_data(self) -> UsageData:
        c = self.cleaned_data
        return UsageData(
            used_on=c["used_on"],
            kind=c["kind"],
            count=c["count"],
            amount=c.get("amount") or "0",
            note=c.get("note") or "",
        )


class PhotosForm(forms.Form):
    photos = MultipleFileField(label="照片", help_text="JPG、PNG、WEBP，每张不超过 10 MB")
