"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

from typing import Any, cast

from django import forms
from django.utils import timezone

from xiangzhen.core.forms import DateInput, MultipleFileField, ServiceErrorsMixin
from xiangzhen.matching.services import ActivityData, Commitment


class ServiceErrors(ServiceErrorsMixin):
    FIELD_ALIASES = {"offer_id": "offer", "organization_id": "organization", "event_id": "event"}


class CommitmentForm(ServiceErrors, forms.Form):
    committed_amount = forms.CharField(label="承诺资金（元）", initial="0", max_length=20)
    people_to_serve = forms.CharField(label="计划服务人数", initial="0", max_length=10)
    committed_in_kind = forms.CharField(
        label="承诺物资或服务", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label="对接说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Set when the match is made at an event (the event page's “在本次活动中对接” link).
    event = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def commitment(self) -> Commitment:
        c = self.cleaned_data
        return Commitment(
            committed_amount=c["committed_amount"],
            people_to_serve=c["people_to_serve"],
            committed_in_kind=c.get("committed_in_kind", ""),
            note=c.get("note", ""),
        )


class OrderForm(CommitmentForm):
    offer = forms.TypedChoiceField(label="供给项目", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, offers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["offer"]).choices = offers
        self.order_fields(["offer", *self.fields])


class TakeForm(CommitmentForm):
    organization = forms.TypedChoiceField(label="社会组织", coerce=int)
    offer = forms.TypedChoiceField(label="关联供给项目（可选）", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], offers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organization"]).choices = organizations
        cast(forms.ChoiceField, self.fields["offer"]).choices = [("", "不关联供给项目"), *offers]
        self.order_fields(["organization", "offer", *self.fields])


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ActivityForm(ServiceErrors, forms.Form):
    date = forms.DateField(label="日期", initial=timezone.localdate, widget=DateInput)
    title = forms.CharField(label="活动名称", max_length=100)
    description = forms.CharField(label="活动内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    people_served = forms.CharField(label="服务人数", initial="0", max_length=10)
    amount_spent = forms.CharField(label="投入资金（元）", initial="0", max_length=20)
    in_kind_spent = forms.CharField(label="投入物资", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultipleFileField(label="照片", required=False)

    def data_object(self) -> ActivityData:
        c = self.cleaned_data
        return ActivityData(
            date=c["date"],
            title=c["title"],
            description=c.get("description", ""),
            people_served=c["people_served"],
            amount_spent=c["amount_spent"],
            in_kind_spent=c.get("in_kind_spent", ""),
        )


class MilestoneForm(ServiceErrors, forms.Form):
    title = forms.CharField(label="节点名称", max_length=100, help_text="如 完成第一期培训")
    due_date = forms.DateField(label="计划日期", widget=DateInput)


class CompleteForm(ServiceErrors, forms.Form):
    report = forms.CharField(label="完成报告", widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)


class EvaluateForm(ServiceErrors, forms.Form):
    score = forms.TypedChoiceField(
        label="评分", coerce=int, choices=[(n, f"{n} 分") for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label="评价意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
