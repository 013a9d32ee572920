"""Page forms. They shape input only; the rules are in the services."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from xiangzhen.core.forms import ServiceErrorsMixin
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.notifications.models import Subscription
from xiangzhen.notifications.services import SubscriptionData
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.forms import RegionField

REGION_SLOTS = 5


class SubscriptionForm(ServiceErrorsMixin, forms.Form):
    """Domains and groups as checkboxes (none ticked = any), and up to five areas with the region picker."""

    FIELD_ALIASES = {"regions": "region_1"}

    organization = forms.ModelChoiceField(label="社会组织", queryset=Organization.objects.none(), empty_label=None)
    domains = forms.ModelMultipleChoiceField(
        label="领域",
        queryset=Domain.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示全部领域",
    )
    beneficiary_groups = forms.ModelMultipleChoiceField(
        label="受益群体",
        queryset=BeneficiaryGroup.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示全部受益群体",
    )
    is_active = forms.BooleanField(label="有效（接收推送）", required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        organizations: "QuerySet[Organization]",
        subscription: Subscription | None = None,
        **kwargs: Any,
    ):
        if subscription is not None:
            kwargs.setdefault("initial", self.initial_for(subscription))
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = organizations
        if subscription is not None:
            organization.queryset = Organization.objects.filter(pk=subscription.organization_id)
            organization.disabled = True
        # Five pickers, or one more than a subscription (made over the API) already has.
        self.slots = max(REGION_SLOTS, len(subscription.regions.all()) + 1 if subscription else 0)
        for n in range(1, self.slots + 1):
            self.fields[f"region_{n}"] = RegionField(
                label=f"关注区域 {n}",
                required=False,
                help_text="可选省、市、县、乡镇或村；都不选则按本组织已发布供给项目的服务区域推送" if n == 1 else "",
            )

    @staticmethod
    def initial_for(subscription: Subscription) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "organization": subscription.organization_id,
            "domains": [d.code for d in subscription.domains.all()],
            "beneficiary_groups": [g.code for g in subscription.beneficiary_groups.all()],
            "is_active": subscription.is_active,
        }
        for n, region in enumerate(subscription.regions.all(), start=1):
            initial[f"region_{n}"] = region.code
        return initial

    def to_data(self) -> SubscriptionData:
        c = self.cleaned_data
        regions = [c[f"region_{n}"].code for n in range(1, self.slots + 1) if c.get(f"region_{n}")]
        return SubscriptionData(
            domains=[d.code for d in c.get("domains") or []],
            beneficiary_groups=[g.code for g in c.get("beneficiary_groups") or []],
            regions=regions,
        )
