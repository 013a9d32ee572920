"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangzhen.core.forms import DateInput, ServiceErrorsMixin
from xiangzhen.pairings.models import Pairing, PairingReview
from xiangzhen.pairings.rules import PLACE_LEVELS
from xiangzhen.pairings.validation import PairingData
from xiangzhen.regions.forms import RegionField

COMMITMENT_FIELDS = ("committed_money", "committed_projects", "committed_volunteer_hours", "committed_purchases")


class PairingForm(ServiceErrorsMixin, forms.Form):
    """Propose (an organization, chosen among the user's own), arrange (an organization by its
    credit code) or change after a return (place and organization fixed)."""

    FIELD_ALIASES = {"organization_credit_code": "credit_code"}

    organization = forms.TypedChoiceField(label=_("社会组织"), coerce=int)
    credit_code = forms.CharField(
        label=_("社会组织统一社会信用代码"), max_length=18, help_text=_("18 位，见社会组织登记证书")
    )
    region_code = RegionField(
        label=_("结对地区"), levels=list(PLACE_LEVELS), help_text=_("县、乡镇或村；优先与重点帮扶村、脱贫村结对")
    )
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput)
    end_date = forms.DateField(label=_("结束日期"), widget=DateInput)
    committed_money = forms.DecimalField(
        label=_("承诺帮扶资金（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    committed_projects = forms.IntegerField(label=_("承诺帮扶项目（个）"), min_value=0, initial=0)
    committed_volunteer_hours = forms.DecimalField(
        label=_("承诺志愿服务（小时）"), min_value=0, max_digits=10, decimal_places=1, initial=0
    )
    committed_purchases = forms.DecimalField(
        label=_("承诺消费帮扶（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    note = forms.CharField(
        label=_("结对说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        mode: str,
        organizations: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode == "propose":
            self.fields["organization"].choices = organizations or []  # type: ignore[attr-defined]
            del self.fields["credit_code"]
        elif mode == "arrange":
            del self.fields["organization"]
        else:  # resubmit: the organization and the place stay as they are
            del self.fields["organization"], self.fields["credit_code"], self.fields["region_code"]

    @classmethod
    def initial_for(cls, pairing: Pairing) -> dict[str, Any]:
        fields = ("start_date", "end_date", *COMMITMENT_FIELDS, "note")
        return {name: getattr(pairing, name) for name in fields}

    def to_data(self) -> PairingData:
        values = self.cleaned_data
        region = values.get("region_code")
        return PairingData(
            region_code=region.code if region is not None else "",
            start_date=values["start_date"],
            end_date=values["end_date"],
            committed_money=values["committed_money"],
            committed_projects=values["committed_projects"],
            committed_volunteer_hours=values["committed_volunteer_hours"],
            committed_purchases=values["committed_purchases"],
            note=values.get("note", ""),
        )


class StartReviewForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConcludeReviewForm(ServiceErrorsMixin, forms.Form):
    assessment = forms.CharField(
        label=_("考核意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("对照各项承诺的完成情况，写明成效、不足和下一步要求"),
    )
    outcome = forms.ChoiceField(label=_("考核结论"), choices=PairingReview.Outcome.choices, widget=forms.RadioSelect)
    new_end_date = forms.DateField(label=_("续签至"), required=False, widget=DateInput, help_text=_("续签时填写"))
    version = forms.IntegerField(widget=forms.HiddenInput)
