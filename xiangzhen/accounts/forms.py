"""Page forms for user management. They shape input only; the rules are in the services."""

from typing import Any

from django import forms

from xiangzhen.accounts.models import User
from xiangzhen.core.forms import ServiceErrorsMixin
from xiangzhen.regions.codes import Level
from xiangzhen.regions.forms import RegionField


class AccountForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"region": "region_code", "department": "department_id"}

    role = forms.ChoiceField(label="角色")
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，字母、数字或 @.+-_")
    full_name = forms.CharField(label="姓名", max_length=50)
    department_id = forms.TypedChoiceField(label="所属部门", coerce=int, required=False, help_text="部门工作人员必填")
    region_code = RegionField(
        label="负责区划", required=False, levels=[Level.TOWNSHIP, Level.VILLAGE], help_text="填报员必填：乡镇或村"
    )
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)

    def __init__(self, *args: Any, roles: list[str], departments: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(User.Role.choices)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(role, labels[role]) for role in roles]
        department_field = self.fields["department_id"]
        assert isinstance(department_field, forms.ChoiceField)
        department_field.choices = [("", "—"), *departments]
        if User.Role.DEPARTMENT_STAFF not in roles:
            del self.fields["department_id"]
        if User.Role.SUBMITTER not in roles:
            del self.fields["region_code"]

    def to_kwargs(self) -> dict[str, Any]:
        c = self.cleaned_data
        region = c.get("region_code")
        return {
            "username": c["username"],
            "full_name": c["full_name"],
            "role": c["role"],
            "department_id": c.get("department_id") or None,
            "region_code": region.code if region else None,
            "phone": c.get("phone") or "",
            "email": c.get("email") or "",
        }


class InitialPasswordForm(forms.Form):
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return cleaned


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        max_length=8,
        help_text="验证器应用中当前显示的 6 位数字",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )
