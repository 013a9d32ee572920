"""Page forms for events. They shape input only; the rules are in `validation.py` and the services."""

from typing import Any

from django import forms

from xiangzhen.core.forms import DateInput, ServiceErrorsMixin
from xiangzhen.events.models import Event
from xiangzhen.events.validation import EventData
from xiangzhen.regions.codes import Level
from xiangzhen.regions.forms import RegionField


class EventForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"region_code": "region"}

    kind = forms.ChoiceField(label="类型", choices=Event.Kind.choices)
    name = forms.CharField(label="名称", max_length=200)
    region = RegionField(label="举办地区", help_text="本部门辖区内的任意层级")
    venue = forms.CharField(label="地点", max_length=200)
    organizer = forms.CharField(label="主办单位", max_length=200)
    starts_on = forms.DateField(label="开始日期", widget=DateInput)
    ends_on = forms.DateField(label="结束日期", widget=DateInput)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        initial = EventData.of(event).as_dict()
        initial["region"] = initial.pop("region_code")
        return initial

    def to_data(self) -> EventData:
        c = self.cleaned_data
        return EventData(
            kind=c["kind"], name=c["name"], region_code=c["region"].code if c.get("region") else "",
            venue=c["venue"], organizer=c["organizer"], starts_on=c["starts_on"], ends_on=c["ends_on"],
            description=c.get("description") or "",
        )  # fmt: skip


class VillageForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"village_code": "village"}

    village = RegionField(label="参展村", levels=[Level.VILLAGE])
    booth = forms.CharField(label="展位", max_length=50, required=False)
