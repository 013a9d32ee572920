"""Page forms for trainings. They shape input only; the rules are in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangzhen.core.forms import DateInput, ServiceErrorsMixin
from xiangzhen.training.models import Training
from xiangzhen.training.services import TrainingData


class TrainingForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"organizer_organization_id": "organizer"}

    organizer = forms.TypedChoiceField(label=_("主办方"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=_("课程名称"), max_length=200)
    trainer = forms.CharField(label=_("授课人"), max_length=100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput)
    mode = forms.ChoiceField(label=_("方式"), choices=Training.Mode.choices)
    place = forms.CharField(label=_("地点（线下）"), max_length=200, required=False)
    link = forms.CharField(label=_("链接（线上）"), max_length=500, required=False)
    capacity = forms.IntegerField(label=_("名额"), min_value=1)
    hours = forms.DecimalField(label=_("学时"), max_digits=6, decimal_places=1, min_value=0)
    description = forms.CharField(label=_("课程简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, hubs: list[Any], department: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", str(department))] if department else []
        choices += [(h.pk, h.name) for h in hubs]
        organizer = self.fields["organizer"]
        assert isinstance(organizer, forms.TypedChoiceField)
        organizer.choices = choices

    def to_data(self) -> TrainingData:
        c = self.cleaned_data
        return TrainingData(
            title=c["title"], trainer=c["trainer"], starts_on=c["starts_on"], ends_on=c["ends_on"], mode=c["mode"],
            capacity=c["capacity"], hours=c["hours"], description=c.get("description") or "",
            place=c.get("place") or "", link=c.get("link") or "", organizer_organization_id=c.get("organizer"),
        )  # fmt: skip
