"""What people fill in about products and purchases, and the rules it must meet. One checker per
input serves the page, the API, the Excel import and the services."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from xiangzhen.accounts.models import User
from xiangzhen.campaigns.models import Campaign, Enrollment
from xiangzhen.consumption.models import Product, Purchase
from xiangzhen.core.validation import InputData, Problems, clean_phone, clean_texts
from xiangzhen.events.models import Event, EventVillage
from xiangzhen.funds.validation import parse_date, parse_money
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

MAX_QUANTITY = Decimal("999999999999.99")
CENT = Decimal("0.01")


def parse_quantity(value: Any, label: str, problems: Problems, name: str, *, required: bool = True) -> Decimal | None:
    """A positive quantity with at most two decimals (full-width digits and commas accepted)."""
    if isinstance(value, bool):
        problems.fail(name, f"{label}应为数字，当前为“{value}”")
        return None
    if isinstance(value, float):
        value = repr(value)
    text = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", str(value if value is not None else "")))
    if not text:
        if required:
            problems.fail(name, f"请填写{label}")
        return None
    try:
        quantity = Decimal(text)
        if not quantity.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.fail(name, f"{label}应为数字，当前为“{value}”")
        return None
    if quantity <= 0 and required:
        problems.fail(name, f"{label}应大于 0，当前为 {quantity}")
        return None
    if quantity < 0:
        problems.fail(name, f"{label}不能为负数，当前为 {quantity}")
        return None
    if quantity > MAX_QUANTITY:
        problems.fail(name, f"{label}超过了上限")
        return None
    if quantity != quantity.quantize(CENT):
        problems.fail(name, f"{label}最多保留两位小数，当前为 {quantity}")
        return None
    return quantity.quantize(CENT)


def _text(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


# ---------------------------------------------------------------- products


@dataclass
class ProductData(InputData):
    name: str
    producer_name: str
    producer_kind: str
    origin_code: str
    category: str
    unit: str
    price: Any
    certification: str = ""
    stock: Any = None
    season: str = ""
    description: str = ""
    contact_phone: str = ""

    @classmethod
    def of(cls, product: Product) -> "ProductData":
        return cls(
            name=product.name, producer_name=product.producer_name, producer_kind=product.producer_kind,
            origin_code=product.origin_id, category=product.category, unit=product.unit, price=product.price,
            certification=product.certification, stock=product.stock, season=product.season,
            description=product.description, contact_phone=product.contact_phone,
        )  # fmt: skip


@dataclass
class CleanProduct:
    text: dict[str, str]
    producer_kind: str
    origin: Region
    category: str
    price: Decimal
    stock: Decimal | None
    contact_phone: str


PRODUCT_TEXTS = {
    "name": ("产品名称", 200), "producer_name": ("生产主体", 200), "unit": ("计量单位", 20),
    "certification": ("认证", 200), "season": ("上市季节", 100), "description": ("产品介绍", 5000),
}  # fmt: skip
ORIGIN_LEVELS = (codes.Level.COUNTY, codes.Level.TOWNSHIP, codes.Level.VILLAGE)


def clean_product_data(data: ProductData) -> CleanProduct:
    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"name": "请填写产品名称", "producer_name": "请填写生产主体（合作社、家庭农场、企业或农户）",
                  "unit": "请填写计量单位，如 斤、箱、件"},
        max_lengths=PRODUCT_TEXTS,
    )  # fmt: skip
    producer_kind = str(data.producer_kind or "").strip()
    if producer_kind not in Product.ProducerKind.values:
        labels = "、".join(str(label) for label in Product.ProducerKind.labels)
        problems.fail("producer_kind", f"主体类型“{data.producer_kind}”不正确，应为{labels}之一")
    category = str(data.category or "").strip()
    if category not in Product.Category.values:
        labels = "、".join(str(label) for label in Product.Category.labels)
        problems.fail("category", f"品类“{data.category}”不正确，应为{labels}之一")
    code = str(data.origin_code or "").strip()
    origin = Region.objects.filter(pk=code).first() if code else None
    if not code:
        problems.fail("origin_code", "请选择产地（村）")
    elif origin is None:
        problems.fail("origin_code", f"产地“{code}”不存在，请填写 12 位区划代码")
    elif codes.level_of(origin.code) not in ORIGIN_LEVELS:
        problems.fail("origin_code", f"产地应为县、乡镇或村，“{origin.name}”是更高一级的区划")
    price = parse_money(data.price, "单价", problems, "price")
    stock = parse_quantity(data.stock, "库存", problems, "stock", required=False)
    phone = ""
    if str(data.contact_phone or "").strip():
        phone = clean_phone(
            str(data.contact_phone), problems, missing="", expected="应为手机号或带区号的固定电话，如 0743-7221234"
        )
    problems.raise_any()
    assert origin is not None and price is not None
    return CleanProduct(text, producer_kind, origin, category, price, stock, phone)


# ---------------------------------------------------------------- purchases


@dataclass
class PurchaseData(InputData):
    """One purchase as filled in. `product`, `event` and `campaign` are a record's id or number;
    `member` is a user's id or user name (blank: the organization itself bought)."""

    product: Any
    quantity: Any
    amount: Any
    purchased_on: Any
    channel: str
    invoice_number: Any
    event: Any = None
    campaign: Any = None
    member: Any = None


@dataclass
class CleanPurchase:
    product: Product
    quantity: Decimal
    amount: Decimal
    purchased_on: date
    channel: str
    invoice_number: str
    event: Event | None
    campaign: Campaign | None
    member: User | None


CHANNEL_NAMES = {str(label): value for value, label in Purchase.Channel.choices} | {
    "直接": "direct", "直采": "direct", "电商": "ecommerce", "网购": "ecommerce", "农博会": "fair", "农贸会": "fair",
    "展会": "fair",
}  # fmt: skip


def _by_id_or_number(model: Any, value: Any) -> Any:
    if isinstance(value, model):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return model.objects.filter(pk=value).first()
    text = _text(value)
    if text.isdigit():
        return model.objects.filter(pk=int(text)).first()
    return model.objects.filter(number=text).first()


def clean_purchase_data(data: PurchaseData, organization: Organization, *, today: date) -> CleanPurchase:
    """Check one purchase by `organization`: the product exists; a fair purchase names a published
    or finished agricultural fair whose villages include the product's origin, on one of its days;
    a campaign is one the organization is enrolled in; a member belongs to the organization."""
    problems = Problems()
    product = None
    if data.product in (None, ""):
        problems.fail("product", "请选择产品")
    else:
        product = _by_id_or_number(Product, data.product)
        if product is None:
            problems.fail("product", f"产品“{_text(data.product)}”不存在")
    quantity = parse_quantity(data.quantity, "数量", problems, "quantity")
    amount = None
    if data.amount in (None, "") and product is not None and quantity is not None:
        amount = (product.price * quantity).quantize(CENT)
    else:
        amount = parse_money(data.amount, "金额", problems, "amount")
    purchased_on = parse_date(data.purchased_on, "采购日期", problems, "purchased_on")
    if purchased_on and purchased_on > today:
        problems.fail("purchased_on", f"采购日期 {purchased_on} 不能晚于今天")
    channel = str(data.channel or "").strip()
    channel = CHANNEL_NAMES.get(channel, channel)
    if channel not in Purchase.Channel.values:
        problems.fail("channel", f"采购渠道“{data.channel}”不正确，应为直接采购、电商平台或展销会")
    invoice = _text(data.invoice_number)
    if not invoice:
        problems.fail("invoice_number", "请填写发票号码")
    elif len(invoice) > 64:
        problems.fail("invoice_number", "发票号码不超过 64 个字符")
    event = _clean_event(data.event, channel, product, purchased_on, problems)
    campaign = _clean_campaign(data.campaign, organization, problems)
    member = _clean_member(data.member, organization, problems)
    problems.raise_any()
    assert product is not None and quantity is not None and amount is not None and purchased_on is not None
    return CleanPurchase(product, quantity, amount, purchased_on, channel, invoice, event, campaign, member)


def _clean_event(
    value: Any, channel: str, product: Product | None, purchased_on: date | None, problems: Problems
) -> Event | None:
    if value in (None, ""):
        if channel == Purchase.Channel.FAIR:
            problems.fail("event", "渠道为展销会时，请选择是在哪一场农博会、农贸会或展销会上采购的")
        return None
    event = _by_id_or_number(Event, value)
    if event is None:
        problems.fail("event", f"展销会“{_text(value)}”不存在")
        return None
    if channel != Purchase.Channel.FAIR:
        problems.fail("event", "只有渠道为展销会的采购才填写展销会")
        return None
    if not event.is_agricultural_fair:
        problems.fail("event", f"“{event.name}”是{event.get_kind_display()}，不是农博会、农贸会或展销会")
        return None
    if not event.is_public:
        problems.fail("event", f"展销会“{event.name}”当前为“{event.get_status_display()}”，不能登记销售")
        return None
    if purchased_on and not event.starts_on <= purchased_on <= event.ends_on:
        problems.fail(
            "purchased_on",
            f"采购日期 {purchased_on} 不在展销会“{event.name}”的会期（{event.starts_on} 至 {event.ends_on}）内",
        )
    if product is not None and not EventVillage.objects.filter(event=event, village_id=product.origin_id).exists():
        problems.fail("event", f"“{product.name}”的产地“{product.origin.name}”不是展销会“{event.name}”的参展村")
    return event


def _clean_campaign(value: Any, organization: Organization, problems: Problems) -> Campaign | None:
    if value in (None, ""):
        return None
    campaign = _by_id_or_number(Campaign, value)
    if campaign is None:
        problems.fail("campaign", f"专项行动“{_text(value)}”不存在")
        return None
    enrolled = Enrollment.objects.filter(
        campaign=campaign, organization=organization, status=Enrollment.Status.ENROLLED
    ).exists()
    if not enrolled:
        problems.fail("campaign", f"“{organization.name}”没有报名专项行动“{campaign.name}”，不能计入该行动")
        return None
    return campaign


def _clean_member(value: Any, organization: Organization, problems: Problems) -> User | None:
    if value in (None, ""):
        return None
    if isinstance(value, User):
        user: User | None = value
    elif isinstance(value, int) and not isinstance(value, bool):
        user = User.objects.filter(pk=value).first()
    else:
        text = _text(value)
        user = User.objects.filter(username=text).first() or (
            User.objects.filter(pk=int(text)).first() if text.isdigit() else None
        )
    if user is None:
        problems.fail("member", f"用户“{_text(value)}”不存在")
        return None
    if not Membership.objects.filter(organization=organization, user=user, is_active=True).exists():
        problems.fail("member", f"“{user}”不是“{organization.name}”的成员")
        return None
    return user
