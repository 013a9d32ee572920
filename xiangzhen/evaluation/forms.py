from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiangzhen.core.forms import ServiceErrorsMixin
from xiangzhen.evaluation.models import Indicator
from xiangzhen.evaluation.services import IndicatorChange, IndicatorData


class IndicatorForm(ServiceErrorsMixin, forms.Form):
    """A new indicator (created inactive)."""

    category = forms.ChoiceField(label=_("类别"), choices=Indicator.Category.choices)
    code = forms.CharField(label=_("代码"), max_length=40, help_text=_("小写字母、数字和下划线，省内唯一"))
    name = forms.CharField(label=_("名称"), max_length=100)
    weight = forms.DecimalField(label=_("权重（分）"), max_digits=5, decimal_places=2)
    formula = forms.CharField(label=_("计算公式"), max_length=500, help_text=_("如 min(1, activities / 6)"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def to_data(self) -> IndicatorData:
        return IndicatorData(**self.cleaned_data)


class SchemeForm(ServiceErrorsMixin, forms.Form):
    rating_points = forms.DecimalField(label=_("在等级评估中的分值"), max_digits=6, decimal_places=2)
    rating_total = forms.DecimalField(label=_("等级评估总分"), max_digits=6, decimal_places=2)
    commendation_top = forms.IntegerField(label=_("表彰候选每组名额"), min_value=1, max_value=100)


class ComputeForm(ServiceErrorsMixin, forms.Form):
    province = forms.CharField(widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


def indicator_changes(post: Any, indicators: list[Indicator]) -> list[IndicatorChange]:
    """The edited indicator table of the editor page: one change per row (fields `<name>-<id>`)."""
    changes = []
    for indicator in indicators:
        key = str(indicator.pk)
        if f"version-{key}" not in post:
            continue
        try:
            version = int(post.get(f"version-{key}"))
        except (TypeError, ValueError):
            version = None
        changes.append(
            IndicatorChange(
                indicator_id=indicator.pk,
                version=version,
                name=post.get(f"name-{key}", indicator.name),
                weight=post.get(f"weight-{key}", str(indicator.weight)),
                formula=post.get(f"formula-{key}", indicator.formula),
                is_active=f"active-{key}" in post,
            )
        )
    return changes
