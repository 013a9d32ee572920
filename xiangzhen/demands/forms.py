"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

from decimal import Decimal
from typing import Any

from django import forms

from xiangzhen.core.forms import DateInput, MultipleFileField, ServiceErrorsMixin
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.demands.models import Demand
from xiangzhen.demands.validation import DemandData
from xiangzhen.regions.forms import RegionField

GROUP_PREFIX = "group_"


class DemandForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=100, help_text="一句话说明需要什么，如“留守儿童课后辅导”")
    description = forms.CharField(label="需求描述", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    region_code = RegionField(label="所在地", levels=["county", "township", "village"], help_text="县、乡镇或村")
    domains = forms.ModelMultipleChoiceField(
        label="领域",
        queryset=Domain.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    aid_mode = forms.ChoiceField(label="帮扶方式", choices=Demand.AidMode.choices, widget=forms.RadioSelect)
    budget = forms.DecimalField(label="所需资金（元）", min_value=0, max_digits=12, decimal_places=2, initial=0)
    in_kind = forms.CharField(label="所需物资或服务", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    period_start = forms.DateField(label="期望开始日期", required=False, widget=DateInput)
    period_end = forms.DateField(label="期望结束日期", required=False, widget=DateInput)
    deadline = forms.DateField(label="征集截止日期", widget=DateInput)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(
        label="联系电话", max_length=30, widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
    )
    on_behalf_of_household = forms.BooleanField(
        label="代农户填报（农户没有手机）", required=False, help_text="联系人填写村干部；须经农户本人同意"
    )
    household_name = forms.CharField(label="农户姓名", max_length=50, required=False)
    household_consent = forms.BooleanField(label="农户已同意由村干部代为填报", required=False)
    uploads = MultipleFileField(
        label="照片或文档", required=False, help_text="JPG、PNG、PDF、Word、Excel，每个不超过 10 MB"
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.groups = list(BeneficiaryGroup.objects.all())
        for group in self.groups:
            self.fields[GROUP_PREFIX + group.code] = forms.IntegerField(
                label=group.name, min_value=0, max_value=1_000_000, required=False
            )

    def group_fields(self) -> list[Any]:
        return [self[GROUP_PREFIX + g.code] for g in self.groups]

    def main_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if not f.name.startswith(GROUP_PREFIX) and f.name != "uploads"]

    @classmethod
    def initial_for(cls, demand: Demand) -> dict[str, Any]:
        data = DemandData.of(demand).as_dict()
        for code, count in data.pop("beneficiaries").items():
            data[GROUP_PREFIX + code] = count
        return data

    def to_data(self) -> DemandData:
        c = self.cleaned_data
        region = c.get("region_code")
        return DemandData(
            title=c.get("title", ""),
            description=c.get("description", ""),
            region_code=region.code if region else "",
            deadline=c.get("deadline"),
            contact_name=c.get("contact_name", ""),
            contact_phone=c.get("contact_phone", ""),
            domains=[d.code for d in c.get("domains") or []],
            beneficiaries={g.code: c[GROUP_PREFIX + g.code] for g in self.groups if c.get(GROUP_PREFIX + g.code)},
            aid_mode=c.get("aid_mode", ""),
            budget=c.get("budget") or Decimal("0"),
            in_kind=c.get("in_kind", ""),
            period_start=c.get("period_start"),
            period_end=c.get("period_end"),
            on_behalf_of_household=bool(c.get("on_behalf_of_household")),
            household_name=c.get("household_name", ""),
            household_consent=bool(c.get("household_consent")),
        )
