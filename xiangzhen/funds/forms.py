"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

import re
from typing import Any

from django import forms

from xiangzhen.core.forms import DateInput, MultipleFileField, ServiceErrorsMixin
from xiangzhen.core.models import Domain
from xiangzhen.funds import targets
from xiangzhen.funds.models import DISBURSEMENT_TARGETS, Donation, Fund, FundProject
from xiangzhen.funds.validation import (
    DisbursementData,
    DisclosureData,
    DonationData,
    FundData,
    ProjectData,
    RefundData,
)
from xiangzhen.regions.forms import RegionField

CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")
REGION_PICKERS = 2


class FundForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"target_regions": "region_1"}

    organization = forms.TypedChoiceField(label="所属社会组织", coerce=int, choices=[])
    name = forms.CharField(label="基金名称", max_length=200)
    founder_kind = forms.ChoiceField(label="设立方类型", choices=Fund.FounderKind.choices, widget=forms.RadioSelect)
    founder_name = forms.CharField(label="设立方名称", max_length=200, help_text="个人设立方的姓名对外打码显示")
    purpose = forms.CharField(label="宗旨和用途", widget=forms.Textarea(attrs={"rows": 5}))
    domains = forms.ModelMultipleChoiceField(
        label="资助领域", queryset=Domain.objects.all(), to_field_name="code", widget=forms.CheckboxSelectMultiple
    )
    region_1 = RegionField(label="资助地区", required=False, help_text="任意层级：选县即包括全县各乡村")
    region_2 = RegionField(label="资助地区（二）", required=False)
    region_codes = forms.CharField(
        label="更多资助地区（区划代码）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行或用逗号分隔一个 12 位区划代码",
    )  # fmt: skip

    def __init__(self, *args: Any, organizations: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            field = self.fields["organization"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = organizations

    @classmethod
    def initial_for(cls, fund: Fund) -> dict[str, Any]:
        data = FundData.of(fund)
        initial = data.as_dict()
        regions = data.target_regions
        for index in range(REGION_PICKERS):
            initial[f"region_{index + 1}"] = regions[index] if index < len(regions) else ""
        initial["region_codes"] = "\n".join(regions[REGION_PICKERS:])
        return initial

    def to_data(self) -> FundData:
        c = self.cleaned_data
        regions = [c[f"region_{i}"].code for i in range(1, REGION_PICKERS + 1) if c.get(f"region_{i}")]
        regions += [code for code in CODE_SEPARATORS.split(c.get("region_codes") or "") if code]
        return FundData(
            name=c.get("name") or "",
            founder_kind=c.get("founder_kind") or "",
            founder_name=c.get("founder_name") or "",
            purpose=c.get("purpose") or "",
            domains=[d.code for d in c.get("domains") or []],
            target_regions=regions,
        )


class ProjectForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="项目名称", max_length=200)
    description = forms.CharField(label="项目内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    domain = forms.ModelChoiceField(label="领域", queryset=Domain.objects.all(), to_field_name="code", required=False)
    start_date = forms.DateField(label="开始日期", widget=DateInput)
    end_date = forms.DateField(
        label="结束日期", widget=DateInput, help_text="实施超过六个月的项目须至少每三个月公开一次"
    )
    budget = forms.DecimalField(label="预算（元）", min_value=0, max_digits=14, decimal_places=2, required=False)

    def to_data(self) -> ProjectData:
        c = self.cleaned_data
        return ProjectData(
            name=c["name"], description=c.get("description") or "", domain=c["domain"].code if c.get("domain") else "",
            start_date=c["start_date"], end_date=c["end_date"], budget=c.get("budget") or "0",
        )  # fmt: skip


def _project_choices(fund: Fund) -> list[tuple[str, str]]:
    return [("", "—")] + [(p.number, f"{p.number} {p.name}") for p in FundProject.objects.filter(fund=fund)]


class DonationForm(ServiceErrorsMixin, forms.Form):
    donor_kind = forms.ChoiceField(label="捐赠方类型", choices=Donation.DonorKind.choices)
    donor_name = forms.CharField(label="捐赠方", max_length=200, help_text="本组织可见全名；个人对外打码")
    anonymous = forms.BooleanField(label="捐赠方要求对外匿名", required=False)
    amount = forms.CharField(label="金额（元）", max_length=30)
    donated_on = forms.DateField(label="捐赠日期", widget=DateInput)
    channel = forms.ChoiceField(label="渠道", choices=Donation.Channel.choices)
    restricted_project = forms.ChoiceField(label="限定项目", required=False, choices=[])
    restricted_domain = forms.ModelChoiceField(
        label="限定领域", queryset=Domain.objects.all(), to_field_name="code", required=False
    )
    receipt_number = forms.CharField(label="收据编号", max_length=64, required=False)
    transaction_number = forms.CharField(
        label="交易流水号", max_length=64, required=False, help_text="与收据编号至少填一个，用于防止重复登记"
    )

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["restricted_project"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _project_choices(fund)

    def to_data(self) -> DonationData:
        c = self.cleaned_data
        return DonationData(
            donor_kind=c["donor_kind"], donor_name=c["donor_name"], amount=c["amount"], donated_on=c["donated_on"],
            channel=c["channel"], anonymous=bool(c.get("anonymous")),
            restricted_project=c.get("restricted_project") or "",
            restricted_domain=c["restricted_domain"].code if c.get("restricted_domain") else "",
            receipt_number=c.get("receipt_number") or "", transaction_number=c.get("transaction_number") or "",
        )  # fmt: skip


class DisbursementForm(ServiceErrorsMixin, forms.Form):
    target_kind = forms.ChoiceField(
        label="拨付对象类型", choices=[(k, targets.label(k)) for k in DISBURSEMENT_TARGETS], initial="project"
    )
    target_number = forms.CharField(
        label="拨付对象编号", max_length=40,
        help_text="供需对接 DJ-…、本基金项目 JX-…、结对帮扶、专项行动活动或四小建设的编号",
    )  # fmt: skip
    amount = forms.CharField(label="金额（元）", max_length=30)
    paid_on = forms.DateField(label="拨付日期", widget=DateInput)
    payee = forms.CharField(label="收款方", max_length=200)
    purpose = forms.CharField(label="用途", max_length=500)
    attachments = MultipleFileField(label="支出凭证", required=False, help_text="发票、合同、转账回单等")

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any):
        super().__init__(*args, **kwargs)
        projects = "、".join(f"{number} {name}" for number, name in _project_choices(fund)[1:])
        if projects:
            self.fields["target_number"].help_text += f"。本基金的项目：{projects}"

    def to_data(self) -> DisbursementData:
        c = self.cleaned_data
        return DisbursementData(
            amount=c["amount"], paid_on=c["paid_on"], payee=c["payee"], purpose=c["purpose"],
            target_kind=c["target_kind"], target_number=c["target_number"].strip(),
        )  # fmt: skip


class RefundForm(ServiceErrorsMixin, forms.Form):
    amount = forms.CharField(label="退款金额（元）", max_length=30, help_text="可全额或部分退款")
    refunded_on = forms.DateField(label="退款日期", widget=DateInput)
    reason = forms.CharField(label="退款原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any):
        super().__init__(*args, **kwargs)

    def to_data(self) -> RefundData:
        c = self.cleaned_data
        return RefundData(amount=c["amount"], refunded_on=c["refunded_on"], reason=c["reason"])


class DisclosureForm(ServiceErrorsMixin, forms.Form):
    project_number = forms.ChoiceField(label="公开对象", required=False, choices=[])
    period_start = forms.DateField(label="期间开始", widget=DateInput)
    period_end = forms.DateField(label="期间结束", widget=DateInput)
    is_final = forms.BooleanField(label="项目结项公开（项目结束后的全面公开）", required=False)
    text = forms.CharField(
        label="公开内容",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="项目进展、资金使用和受益情况；期间收支由账目自动汇总",
    )

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["project_number"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "基金整体"), *_project_choices(fund)[1:]]

    def to_data(self) -> DisclosureData:
        c = self.cleaned_data
        return DisclosureData(
            period_start=c["period_start"], period_end=c["period_end"], text=c["text"],
            project_number=c.get("project_number") or "", is_final=bool(c.get("is_final")),
        )  # fmt: skip


class ImportOptionsForm(forms.Form):
    channel = forms.ChoiceField(label="表中未注明渠道时按", choices=Donation.Channel.choices, initial="bank")
