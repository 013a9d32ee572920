"""Page forms for brands, cases and commendations; the rules are in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangzhen.brands.models import CharityBrand, Commendation, ExemplaryCase
from xiangzhen.brands.services import BrandData, CaseData, CommendationData
from xiangzhen.core.forms import DateInput, ServiceErrorsMixin
from xiangzhen.core.models import Domain


class BrandForm(ServiceErrorsMixin, forms.Form):
    organization = forms.TypedChoiceField(label=_("社会组织"), coerce=int)
    name = forms.CharField(label=_("品牌名称"), max_length=100)
    description = forms.CharField(label=_("品牌简介"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    started_year = forms.IntegerField(label=_("创立年份"), min_value=1949, max_value=2100)
    domains = forms.ModelMultipleChoiceField(
        label=_("领域"), queryset=Domain.objects.all(), to_field_name="code", widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organizations

    @classmethod
    def initial_for(cls, brand: CharityBrand) -> dict[str, Any]:
        return {**BrandData.of(brand).as_dict(), "organization": brand.organization_id}

    def to_data(self) -> BrandData:
        c = self.cleaned_data
        return BrandData(
            name=c.get("name", ""), description=c.get("description", ""), started_year=c.get("started_year"),
            domains=[d.code for d in c.get("domains") or []],
        )  # fmt: skip


class CaseForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    organization_id = forms.TypedChoiceField(label=_("社会组织"), coerce=int)
    brand_id = forms.TypedChoiceField(label=_("公益品牌（可不选）"), coerce=int, required=False, empty_value=None)
    campaign_id = forms.TypedChoiceField(label=_("专项行动（可不选）"), coerce=int, required=False, empty_value=None)
    summary = forms.CharField(label=_("摘要"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), max_length=50000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, organizations: list[tuple[int, str]], brands: list[tuple[int, str]],
        campaigns: list[tuple[int, str]], **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        for name, choices in (("organization_id", organizations), ("brand_id", brands), ("campaign_id", campaigns)):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = choices if name == "organization_id" else [("", "——"), *choices]

    @classmethod
    def initial_for(cls, case: ExemplaryCase) -> dict[str, Any]:
        return {**CaseData.of(case).as_dict(), "version": case.version}

    def to_data(self) -> CaseData:
        c = self.cleaned_data
        return CaseData(
            title=c.get("title", ""), summary=c.get("summary", ""), body=c.get("body", ""),
            organization_id=c.get("organization_id"), brand_id=c.get("brand_id"), campaign_id=c.get("campaign_id"),
        )  # fmt: skip


class CommendationForm(ServiceErrorsMixin, forms.Form):
    organization_id = forms.TypedChoiceField(label=_("社会组织"), coerce=int)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("表彰名称"), max_length=200, help_text=_("如 全省社会组织参与乡村振兴先进集体"))
    issuing_department = forms.CharField(label=_("表彰单位"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    awarded_on = forms.DateField(label=_("表彰日期"), widget=DateInput)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organizations

    @classmethod
    def initial_for(cls, commendation: Commendation) -> dict[str, Any]:
        return CommendationData.of(commendation).as_dict()

    def to_data(self) -> CommendationData:
        c = self.cleaned_data
        return CommendationData(
            organization_id=c.get("organization_id"), year=c.get("year"), title=c.get("title", ""),
            issuing_department=c.get("issuing_department", ""), awarded_on=c.get("awarded_on"),
            document_number=c.get("document_number", ""),
        )  # fmt: skip
