"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

import re
from typing import Any

from django import forms

from xiangzhen.core.forms import DateInput, MultipleFileField, ServiceErrorsMixin
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.offers.models import AidMode, Offer
from xiangzhen.offers.validation import PUBLISHED_EDITABLE, OfferData
from xiangzhen.regions.forms import RegionField

REGION_PICKERS = 3
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


class OfferForm(ServiceErrorsMixin, forms.Form):
    organization = forms.TypedChoiceField(label="社会组织", coerce=int, choices=[])
    title = forms.CharField(label="项目名称", max_length=200)
    description = forms.CharField(
        label="项目内容", widget=forms.Textarea(attrs={"rows": 6}), help_text="做什么、怎么做、为谁做、预期成效"
    )
    domains = forms.ModelMultipleChoiceField(
        label="服务领域", queryset=Domain.objects.all(), to_field_name="code", widget=forms.CheckboxSelectMultiple
    )
    beneficiary_groups = forms.ModelMultipleChoiceField(
        label="受益群体",
        queryset=BeneficiaryGroup.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    aid_mode = forms.ChoiceField(label="帮扶方式", choices=AidMode.choices, widget=forms.RadioSelect)
    nationwide = forms.BooleanField(label="面向全国（不限服务区域）", required=False)
    region_1 = RegionField(label="服务区域", required=False, help_text="可选任意层级：选县即覆盖全县各乡村")
    region_2 = RegionField(label="服务区域（二）", required=False)
    region_3 = RegionField(label="服务区域（三）", required=False)
    region_codes = forms.CharField(
        label="更多服务区域（区划代码）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "433124000000\n433123000000"}),
        help_text="每行或用逗号分隔一个 12 位区划代码",
    )
    capacity_demands = forms.IntegerField(label="可承接需求数", min_value=1)
    capacity_amount = forms.DecimalField(label="可投入资金（元）", min_value=0, max_digits=12, decimal_places=2)
    in_kind = forms.CharField(label="可提供物资", max_length=500, required=False)
    window_start = forms.DateField(label="开始日期", widget=DateInput)
    window_end = forms.DateField(label="结束日期", widget=DateInput)
    attachments = MultipleFileField(
        label="附件", required=False, help_text="图片或 PDF、Word、Excel 文档，每个不超过 10 MB"
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[int, str]] | None = None,
        published: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            field = self.fields["organization"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = organizations
        if published:
            for name, field in self.fields.items():
                if name not in (*PUBLISHED_EDITABLE, "attachments"):
                    field.disabled = True
                    field.required = False
                    field.help_text = "已发布，只能调整容量和服务期限"

    @classmethod
    def initial_for(cls, offer: Offer) -> dict[str, Any]:
        data = OfferData.of(offer)
        initial = data.as_dict()
        regions = data.service_regions
        for index in range(REGION_PICKERS):
            initial[f"region_{index + 1}"] = regions[index] if index < len(regions) else ""
        initial["region_codes"] = "\n".join(regions[REGION_PICKERS:])
        return initial

    def region_codes_list(self) -> list[str]:
        c = self.cleaned_data
        result = [c[f"region_{i}"].code for i in range(1, REGION_PICKERS + 1) if c.get(f"region_{i}")]
        result += [code for code in CODE_SEPARATORS.split(c.get("region_codes") or "") if code]
        return result

    def to_data(self) -> OfferData:
        c = self.cleaned_data
        return OfferData(
            title=c.get("title") or "",
            description=c.get("description") or "",
            aid_mode=c.get("aid_mode") or "",
            capacity_demands=c.get("capacity_demands"),
            capacity_amount=c.get("capacity_amount"),
            window_start=c.get("window_start"),
            window_end=c.get("window_end"),
            domains=[d.code for d in c.get("domains") or []],
            beneficiary_groups=[g.code for g in c.get("beneficiary_groups") or []],
            service_regions=self.region_codes_list(),
            nationwide=bool(c.get("nationwide")),
            in_kind=c.get("in_kind") or "",
        )

    def add_service_error(self, exc: Any) -> None:
        for error in exc.errors:
            if error.field == "service_regions":
                error.field = "region_1"
        super().add_service_error(exc)
