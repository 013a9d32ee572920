"""The page form for recording volunteer service (the API takes the same data)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangzhen.core.forms import DateInput, ServiceErrorsMixin
from xiangzhen.linkage import selectors
from xiangzhen.linkage.filters import LinkageFilters
from xiangzhen.organizations.models import Organization


class ServiceForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"organization_id": "organizer", "station_id": "organizer", "volunteer_id": "volunteer"}

    volunteer = forms.TypedChoiceField(label=_("志愿者"), coerce=int)
    organizer = forms.ChoiceField(label=_("组织方"))
    served_on = forms.DateField(label=_("服务日期"), widget=DateInput())
    hours = forms.DecimalField(label=_("服务时长（小时）"), min_value=0.1, max_value=24, decimal_places=1)
    content = forms.CharField(label=_("服务内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    region = forms.CharField(label=_("服务地点（区划代码）"), max_length=12)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        filters = LinkageFilters()
        cast(forms.ChoiceField, self.fields["volunteer"]).choices = [
            (v.pk, v.name) for v in selectors.volunteers(user, filters)[:500]
        ]
        organizations = Organization.objects.filter(
            memberships__user=user, memberships__is_active=True, memberships__role="admin"
        )
        cast(forms.ChoiceField, self.fields["organizer"]).choices = [(f"org-{o.pk}", o.name) for o in organizations] + [
            (f"station-{s.pk}", s.name) for s in selectors.stations(user, filters)[:500]
        ]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind, _sep, pk = data["organizer"].partition("-")
        return {
            "volunteer_id": data["volunteer"],
            "served_on": data["served_on"],
            "hours": str(data["hours"]),
            "content": data["content"],
            "region": data["region"],
            "organization_id": int(pk) if kind == "org" else None,
            "station_id": int(pk) if kind == "station" else None,
        }
