"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangzhen.campaigns.models import Activity, Campaign
from xiangzhen.campaigns.validation import ActivityData, CampaignData
from xiangzhen.core.forms import DateInput, MultipleFileField, ServiceErrorsMixin
from xiangzhen.core.models import BeneficiaryGroup
from xiangzhen.regions.forms import RegionField

GROUP_PREFIX = "group_"


class CampaignForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Campaign.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=200, help_text=_("类型为“其他”时，填写本省自定的专项行动名称"))
    region_code = RegionField(
        label=_("实施地区"), levels=["province", "city", "county"], required=False,
        help_text=_("不填为本部门所在地区；只能在本部门所在地区组织"),
    )  # fmt: skip
    description = forms.CharField(label=_("行动方案"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput)
    end_date = forms.DateField(label=_("结束日期"), widget=DateInput)
    target_organizations = forms.IntegerField(label=_("目标参与组织（家）"), min_value=0, initial=0)
    target_activities = forms.IntegerField(label=_("目标活动（场）"), min_value=0, initial=0)
    target_people_served = forms.IntegerField(label=_("目标服务人次"), min_value=0, initial=0)
    target_money = forms.DecimalField(
        label=_("目标投入资金（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    target_purchases = forms.DecimalField(
        label=_("目标消费帮扶（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict[str, Any]:
        return {**CampaignData.of(campaign).as_dict(), "version": campaign.version}

    def to_data(self) -> CampaignData:
        c = self.cleaned_data
        region = c.get("region_code")
        return CampaignData(
            kind=c.get("kind", ""), name=c.get("name", ""), description=c.get("description", ""),
            start_date=c.get("start_date"), end_date=c.get("end_date"), region_code=region.code if region else "",
            target_organizations=c.get("target_organizations") or 0, target_activities=c.get("target_activities") or 0,
            target_people_served=c.get("target_people_served") or 0,
            target_money=c.get("target_money") or Decimal("0"),
            target_purchases=c.get("target_purchases") or Decimal("0"),
        )  # fmt: skip


class ActivityForm(ServiceErrorsMixin, forms.Form):
    organization = forms.TypedChoiceField(label=_("社会组织"), coerce=int)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    held_on = forms.DateField(label=_("活动日期"), widget=DateInput)
    region_code = RegionField(label=_("活动地区"), help_text=_("通常是专项行动实施地区内的村"))
    place = forms.CharField(label=_("具体地点"), max_length=200, required=False, help_text=_("如 村委会广场、村小学"))
    description = forms.CharField(label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    money = forms.DecimalField(label=_("投入资金（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0)
    in_kind = forms.CharField(label=_("捐赠物资"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    in_kind_value = forms.DecimalField(
        label=_("物资折价（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    people_served = forms.IntegerField(
        label=_("服务人次"), min_value=0, initial=0, required=False,
        help_text=_("填写了下方受益群体时按各群体人次合计；扶弱济困必须按群体填写"),
    )  # fmt: skip
    brand = forms.TypedChoiceField(label=_("公益品牌"), coerce=int, required=False, empty_value=None)
    photos = MultipleFileField(label=_("活动照片"), required=False, help_text=_("JPG、PNG，每张不超过 10 MB"))

    def __init__(
        self, *args: Any, organizations: list[tuple[int, str]], brands: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.TypedChoiceField)
        organization.choices = organizations
        brand = self.fields["brand"]
        assert isinstance(brand, forms.TypedChoiceField)
        brand.choices = [("", "——"), *brands]
        self.groups = list(BeneficiaryGroup.objects.all())
        for group in self.groups:
            self.fields[GROUP_PREFIX + group.code] = forms.IntegerField(
                label=group.name, min_value=0, max_value=1_000_000, required=False
            )

    def group_fields(self) -> list[Any]:
        return [self[GROUP_PREFIX + g.code] for g in self.groups]

    def main_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if not f.name.startswith(GROUP_PREFIX)]

    @classmethod
    def initial_for(cls, activity: Activity) -> dict[str, Any]:
        data = ActivityData.of(activity).as_dict()
        for code, count in data.pop("beneficiaries").items():
            data[GROUP_PREFIX + code] = count
        data["brand"] = data.pop("brand_id")
        data["organization"] = activity.organization_id
        return data

    def to_data(self) -> ActivityData:
        c = self.cleaned_data
        region = c.get("region_code")
        return ActivityData(
            title=c.get("title", ""), held_on=c.get("held_on"), region_code=region.code if region else "",
            description=c.get("description", ""), place=c.get("place", ""), money=c.get("money") or Decimal("0"),
            in_kind=c.get("in_kind", ""), in_kind_value=c.get("in_kind_value") or Decimal("0"),
            people_served=c.get("people_served") or 0,
            beneficiaries={g.code: c[GROUP_PREFIX + g.code] for g in self.groups if c.get(GROUP_PREFIX + g.code)},
            brand_id=c.get("brand"),
        )  # fmt: skip

    def add_service_error(self, exc: Any) -> None:
        for error in exc.errors:
            name = {"brand_id": "brand", "files": "photos"}.get(error.field, error.field)
            self.add_error(name if name in self.fields else None, error.message)
        if not exc.errors:
            self.add_error(None, exc.message)


class ParticipationForm(forms.Form):
    user = forms.TypedChoiceField(label=_("参与人"), coerce=int)
    hours = forms.DecimalField(
        label=_("志愿服务时长（小时）"), min_value=Decimal("0.1"), max_value=24, decimal_places=1
    )
    role = forms.CharField(label=_("承担工作"), max_length=100, required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.TypedChoiceField)
        user.choices = members
