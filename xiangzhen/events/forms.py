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
    capacity = forms.IntegerField(label="名额", required=False, min_value=1, help_text="可报名的单位数；留空表示不限")
    agenda = forms.CharField(label="议程", required=False, widget=forms.Textarea(attrs={"rows": 4}))

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
            description=c.get("description") or "", capacity=c.get("capacity"), agenda=c.get("agenda") or "",
        )  # fmt: skip


class VillageForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"village_code": "village"}

    village = RegionField(label="参展村", levels=[Level.VILLAGE])
    booth = forms.CharField(label="展位", max_length=50, required=False)


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    """Register the user's organization, or (staff) a village of their region: one of the two."""

    FIELD_ALIASES = {"organization_id": "organization", "village_code": "village"}

    organization = forms.TypedChoiceField(label="以社会组织名义", coerce=int, required=False, empty_value=None)
    village = RegionField(label="以村（社区）名义", levels=[Level.VILLAGE], required=False)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False, help_text="加密保存，显示时打码")

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], villages: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organizations:
            self.fields["organization"].choices = [("", "—"), *organizations]  # type: ignore[attr-defined]
        else:
            del self.fields["organization"]
        if not villages:
            del self.fields["village"]


class FeatureForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"demand_id": "demand", "offer_id": "offer"}

    demand = forms.TypedChoiceField(label="推介需求项目", coerce=int, required=False, empty_value=None)
    offer = forms.TypedChoiceField(label="推介供给项目", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, demands: list[tuple[int, str]], offers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["demand"].choices = [("", "—"), *demands]  # type: ignore[attr-defined]
        self.fields["offer"].choices = [("", "—"), *offers]  # type: ignore[attr-defined]


class CriterionForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="评分项", max_length=100)
    weight = forms.DecimalField(label="权重", max_digits=5, decimal_places=2, help_text="各评分项权重之和为 100")
    max_score = forms.DecimalField(label="满分", max_digits=6, decimal_places=2, initial=100)


class JudgeForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(label="评委用户名", max_length=150)


class EntryForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"organization_id": "organization", "target_region_code": "target_region"}

    organization = forms.TypedChoiceField(label="社会组织", coerce=int)
    title = forms.CharField(label="项目名称", max_length=200)
    plan = forms.CharField(label="项目计划书", max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    budget = forms.DecimalField(label="预算（元）", max_digits=12, decimal_places=2, min_value=0)
    target_region = RegionField(label="服务地区")
    domains = forms.MultipleChoiceField(label="服务领域", widget=forms.CheckboxSelectMultiple)
    attachment = forms.FileField(label="附件（可选）", required=False)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], domains: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organizations  # type: ignore[attr-defined]
        self.fields["domains"].choices = domains  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    """One field per criterion, named `c<id>`, from 0 to the criterion's maximum."""

    def __init__(self, *args: Any, criteria: list[Any], initial_scores: dict[int, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（满分 {criterion.max_score}，权重 {criterion.weight}）",
                min_value=0, max_value=criterion.max_score, decimal_places=2,
                initial=initial_scores.get(criterion.pk),
            )  # fmt: skip

    def scores(self) -> dict[int, Any]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value is not None}


class PublishResultsForm(forms.Form):
    winners = forms.IntegerField(label="获奖数", min_value=1)
