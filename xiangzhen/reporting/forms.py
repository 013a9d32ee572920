"""Page forms. They shape input only; the rules are in the services."""

from typing import Any

from django import forms

from xiangzhen.core.forms import ServiceErrorsMixin
from xiangzhen.reporting.models import ReportingSchedule
from xiangzhen.reporting.services import ScheduleData


class ScheduleForm(ServiceErrorsMixin, forms.Form):
    frequency = forms.ChoiceField(label="报送频次", choices=ReportingSchedule.Frequency.choices)
    due_month = forms.IntegerField(
        label="截止月份（报告期第几个月）", min_value=1, max_value=24,
        help_text="从报告期第一个月起算：季度最后一个月为 3，半年最后一个月为 6，"
        "报告期结束后的次月为 4（季度）或 7（半年）",
    )  # fmt: skip
    due_day = forms.IntegerField(
        label="截止日（含当日）", min_value=1, max_value=31, help_text="“月初”可按 10 日设置；超过当月天数时取月末"
    )
    reporting_level = forms.ChoiceField(label="报送层级", choices=ReportingSchedule.Level.choices)
    to_civil_affairs = forms.BooleanField(label="报送省民政厅", required=False)
    to_rural_revitalization = forms.BooleanField(label="报送省乡村振兴局", required=False)
    remind_days = forms.CharField(label="截止前提醒天数", max_length=50, help_text="逗号分隔，如 7,1；逾期后另提醒一次")
    is_active = forms.BooleanField(label="启用", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_from(cls, schedule: ReportingSchedule | None) -> dict[str, Any]:
        if schedule is None:
            return {"frequency": "quarterly", "due_month": 3, "due_day": 20, "reporting_level": "city",
                    "to_civil_affairs": True, "to_rural_revitalization": True, "remind_days": "7,1",
                    "is_active": True}  # fmt: skip
        names = [f for f in cls.base_fields if f != "version"]
        return {**{name: getattr(schedule, name) for name in names}, "version": schedule.version}

    def data_object(self) -> ScheduleData:
        c = self.cleaned_data
        return ScheduleData(
            frequency=c["frequency"], due_month=c["due_month"], due_day=c["due_day"],
            reporting_level=c["reporting_level"], to_civil_affairs=c["to_civil_affairs"],
            to_rural_revitalization=c["to_rural_revitalization"], remind_days=c["remind_days"],
            is_active=c["is_active"],
        )  # fmt: skip


class ReportForm(ServiceErrorsMixin, forms.Form):
    progress = forms.CharField(
        label="工作进展情况", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    difficulties = forms.CharField(
        label="困难问题", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    practices = forms.CharField(
        label="经验做法", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
