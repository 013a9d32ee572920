"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

from typing import Any

from django import forms

from xiangzhen.core.forms import ServiceErrorsMixin
from xiangzhen.core.models import Domain
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.organizations.validation import OrganizationData
from xiangzhen.regions.forms import RegionField


class OrganizationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30, help_text="18 位，见登记证书")
    kind = forms.ChoiceField(label="类型", choices=Organization.Kind.choices)
    region_code = RegionField(
        label="登记地", levels=["province", "city", "county"], help_text="登记管理机关所在的省、市或县"
    )
    registration_authority = forms.CharField(label="登记管理机关", max_length=100, help_text="如 花垣县民政局")
    supervising_unit = forms.CharField(label="业务主管单位", max_length=100, required=False)
    domains = forms.ModelMultipleChoiceField(
        label="服务领域",
        queryset=Domain.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rating = forms.ChoiceField(label="等级评估", choices=[("", "未评估"), *Organization.Rating.choices], required=False)
    rating_year = forms.IntegerField(label="评估年度", required=False)
    is_hub = forms.BooleanField(label="枢纽型社会组织", required=False)
    is_rural_community = forms.BooleanField(label="农村社区社会组织", required=False)
    founder_type = forms.ChoiceField(
        label="创办人类型（农村社区社会组织）",
        choices=[("", "—"), *Organization.FounderType.choices],
        required=False,
    )
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(
        label="联系电话", max_length=30, widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, locked: tuple[str, ...] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = "审核通过后不能自行修改，如需更正请联系登记管理机关"

    @classmethod
    def initial_for(cls, organization: Organization) -> dict[str, Any]:
        return OrganizationData.of(organization).as_dict()

    def to_data(self) -> OrganizationData:
        c = self.cleaned_data
        region = c.get("region_code")
        return OrganizationData(
            name=c.get("name", ""),
            credit_code=c.get("credit_code", ""),
            kind=c.get("kind", ""),
            region_code=region.code if region else "",
            registration_authority=c.get("registration_authority", ""),
            supervising_unit=c.get("supervising_unit", ""),
            domains=[d.code for d in c.get("domains") or []],
            rating=c.get("rating", ""),
            rating_year=c.get("rating_year"),
            is_hub=bool(c.get("is_hub")),
            is_rural_community=bool(c.get("is_rural_community")),
            founder_type=c.get("founder_type", ""),
            contact_name=c.get("contact_name", ""),
            contact_phone=c.get("contact_phone", ""),
            address=c.get("address", ""),
            description=c.get("description", ""),
        )


class AccountFields(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="用于登录，字母、数字或 @.+-_")
    full_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="邮箱", required=False)
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class RegistrationForm(OrganizationForm, AccountFields):
    """The public sign-up: the organization and its first admin account."""

    def clean(self) -> dict[str, Any]:
        return AccountFields.clean(self)


class AcceptInvitationForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class InviteForm(ServiceErrorsMixin, forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="邮箱")
    role = forms.ChoiceField(label="角色", choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
