"""Page forms. They shape input only; the rules are in the services."""

from django import forms

from xiangzhen.core.forms import DateInput, ServiceErrorsMixin
from xiangzhen.monitoring.models import AssistanceRecord, MonitoredHousehold
from xiangzhen.monitoring.services import AssistanceData, HouseholdData, MemberData
from xiangzhen.regions.forms import RegionField


class HouseholdForm(ServiceErrorsMixin, forms.Form):
    village_code = RegionField(label="所在村", levels=["county", "township", "village"])
    category = forms.ChoiceField(label="监测类型", choices=MonitoredHousehold.Category.choices)
    head_name = forms.CharField(label="户主姓名", max_length=50)
    head_id_number = forms.CharField(label="户主身份证号", max_length=18)
    phone = forms.CharField(
        label="联系电话", max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    risks = forms.MultipleChoiceField(
        label="风险类型", choices=MonitoredHousehold.Risk.choices, widget=forms.CheckboxSelectMultiple
    )
    income_per_capita = forms.DecimalField(label="人均纯收入（元/年）", min_value=0, max_digits=12, decimal_places=2)
    identified_on = forms.DateField(label="识别日期", widget=DateInput)

    def to_data(self) -> HouseholdData:
        d = self.cleaned_data
        return HouseholdData(
            village_code=d["village_code"].code,
            category=d["category"],
            head_name=d["head_name"],
            head_id_number=d["head_id_number"],
            phone=d["phone"],
            risks=list(d["risks"]),
            income_per_capita=d["income_per_capita"],
            identified_on=d["identified_on"],
        )


class MemberForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18)
    relation = forms.CharField(label="与户主关系", max_length=20)
    health = forms.CharField(label="健康状况", max_length=50, required=False)
    education = forms.CharField(label="文化程度", max_length=50, required=False)
    work = forms.CharField(label="务工或就业情况", max_length=100, required=False)

    def to_data(self) -> MemberData:
        return MemberData(**self.cleaned_data)


class CloseForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label="结果",
        choices=[c for c in MonitoredHousehold.Status.choices if c[0] != MonitoredHousehold.Status.MONITORING],
    )
    on = forms.DateField(label="日期", widget=DateInput)
    reason = forms.CharField(label="原因", max_length=500)


class AccessForm(ServiceErrorsMixin, forms.Form):
    organization_id = forms.IntegerField(label="社会组织编号", min_value=1)
    until = forms.DateField(label="有效期至", widget=DateInput)


class AssistanceForm(ServiceErrorsMixin, forms.Form):
    organization_id = forms.TypedChoiceField(label="社会组织", coerce=int, choices=[])
    kind = forms.ChoiceField(label="帮扶类型", choices=AssistanceRecord.Kind.choices)
    what = forms.CharField(label="帮扶内容", max_length=200)
    given_on = forms.DateField(label="帮扶日期", widget=DateInput)
    amount = forms.DecimalField(label="金额或折价（元）", min_value=0, max_digits=12, decimal_places=2, initial=0)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def to_data(self) -> AssistanceData:
        d = self.cleaned_data
        return AssistanceData(
            kind=d["kind"], what=d["what"], given_on=d["given_on"], amount=d["amount"], note=d["note"]
        )
