"""Page forms. They shape input only; the rules are in `validation.py` and the services."""

from typing import Any

from django import forms

from xiangzhen.consumption.models import Product, Purchase
from xiangzhen.consumption.validation import ProductData, PurchaseData
from xiangzhen.core.forms import DateInput, MultipleFileField, ServiceErrorsMixin
from xiangzhen.regions.codes import Level
from xiangzhen.regions.forms import RegionField

MAX_LINES = 10


class ProductForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"origin_code": "origin"}

    organization = forms.TypedChoiceField(
        label="登记方式", coerce=int, required=False, empty_value=None, choices=[],
        help_text="以社会组织名义登记时，产地须具体到村；该组织的管理员今后也可修改",
    )  # fmt: skip
    name = forms.CharField(label="产品名称", max_length=200)
    category = forms.ChoiceField(label="品类", choices=Product.Category.choices)
    origin = RegionField(label="产地", levels=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE], help_text="尽量具体到村")
    producer_name = forms.CharField(label="生产主体", max_length=200, help_text="合作社、家庭农场、企业或农户的名称")
    producer_kind = forms.ChoiceField(label="主体类型", choices=Product.ProducerKind.choices)
    unit = forms.CharField(label="计量单位", max_length=20, help_text="如 斤、箱、件")
    price = forms.CharField(label="单价（元）", max_length=30)
    certification = forms.CharField(
        label="认证", max_length=200, required=False, help_text="如 绿色食品、有机产品、地理标志"
    )
    stock = forms.CharField(label="库存", max_length=30, required=False)
    season = forms.CharField(label="上市季节", max_length=100, required=False, help_text="如 9—11 月")
    contact_phone = forms.CharField(label="订购电话", max_length=20, required=False)
    description = forms.CharField(label="产品介绍", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label="产品照片", required=False, help_text="JPG、PNG、WEBP，每张不超过 10 MB")

    def __init__(self, *args: Any, organizations: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        if organizations:
            field.choices = [("", "以产地工作人员身份登记")] + [
                (pk, f"以“{name}”名义登记") for pk, name in organizations
            ]
        else:
            del self.fields["organization"]

    @classmethod
    def initial_for(cls, product: Product) -> dict[str, Any]:
        initial = ProductData.of(product).as_dict()
        initial["origin"] = initial.pop("origin_code")
        return initial

    def to_data(self) -> ProductData:
        c = self.cleaned_data
        return ProductData(
            name=c.get("name") or "", producer_name=c.get("producer_name") or "",
            producer_kind=c.get("producer_kind") or "", origin_code=c["origin"].code if c.get("origin") else "",
            category=c.get("category") or "", unit=c.get("unit") or "", price=c.get("price") or "",
            certification=c.get("certification") or "", stock=c.get("stock") or None, season=c.get("season") or "",
            description=c.get("description") or "", contact_phone=c.get("contact_phone") or "",
        )  # fmt: skip


class PurchaseForm(ServiceErrorsMixin, forms.Form):
    """The shared part of one submission: who bought, when, where, on which invoice."""

    organization = forms.TypedChoiceField(label="采购组织", coerce=int, choices=[])
    member = forms.ChoiceField(label="采购方式", required=False, choices=[])
    purchased_on = forms.DateField(label="采购日期", widget=DateInput)
    channel = forms.ChoiceField(label="渠道", choices=Purchase.Channel.choices)
    event = forms.ChoiceField(label="展销会", required=False, choices=[], help_text="渠道为展销会时必选")
    campaign = forms.ChoiceField(label="计入专项行动", required=False, choices=[], help_text="本组织已报名的专项行动")
    invoice_number = forms.CharField(label="发票号码", max_length=64)
    invoices = MultipleFileField(label="发票", required=False, help_text="发票扫描件或照片（PDF、JPG、PNG）")

    def __init__(
        self, *args: Any, organizations: list[tuple[int, str]], members: list[tuple[str, str]],
        fairs: list[tuple[str, str]], campaigns: list[tuple[str, str]], **kwargs: Any,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, str]]] = {
            "organization": list(organizations),
            "member": members,
            "event": [("", "—"), *fairs],
            "campaign": [("", "不计入"), *campaigns],
        }
        for name, values in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = values


class PurchaseLineForm(forms.Form):
    product = forms.ChoiceField(label="产品", required=False, choices=[])
    quantity = forms.CharField(label="数量", max_length=30, required=False)
    amount = forms.CharField(label="金额（元）", max_length=30, required=False, help_text="不填按 数量 × 单价")

    def __init__(self, *args: Any, products: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *(products or [])]

    @property
    def filled(self) -> bool:
        c = getattr(self, "cleaned_data", {})
        return bool(c.get("product") or c.get("quantity") or c.get("amount"))


PurchaseLineFormSet = forms.formset_factory(PurchaseLineForm, extra=3, max_num=MAX_LINES, validate_max=True)


def purchase_data(
    header: PurchaseForm, lines: list[PurchaseLineForm], member_default: Any = None
) -> list[PurchaseData]:
    c = header.cleaned_data
    member = c.get("member") or member_default
    return [
        PurchaseData(
            product=line.cleaned_data.get("product") or "",
            quantity=line.cleaned_data.get("quantity") or "",
            amount=line.cleaned_data.get("amount") or None,
            purchased_on=c["purchased_on"],
            channel=c["channel"],
            invoice_number=c["invoice_number"],
            event=c.get("event") or None,
            campaign=c.get("campaign") or None,
            member=int(member) if member else None,
        )
        for line in lines
        if line.filled
    ]
