from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xiangzhen.consumption.models import Product, Purchase, PurchaseBatch


class ProductIn(Schema):
    name: str = Field(..., title="产品名称", max_length=200)
    producer_name: str = Field(..., title="生产主体", max_length=200)
    producer_kind: str = Field(
        ..., title="主体类型", description="cooperative / household_enterprise / enterprise / household"
    )
    origin_code: str = Field(..., title="产地", description="12 位区划代码（社会组织登记时须为村）")
    category: str = Field(
        ...,
        title="品类",
        description="grain_oil / fruit_vegetable / meat_egg / aquatic / tea / specialty / processed / handicraft …",
    )
    unit: str = Field(..., title="计量单位", max_length=20)
    price: Decimal = Field(..., title="单价（元）")
    certification: str = Field("", title="认证", max_length=200)
    stock: Decimal | None = Field(None, title="库存")
    season: str = Field("", title="上市季节", max_length=100)
    description: str = Field("", title="产品介绍", max_length=5000)
    contact_phone: str = Field("", title="订购电话", max_length=20)
    organization_id: int | None = Field(
        None, title="登记组织", description="以社会组织名义登记时填写（须为其管理员）；产地工作人员登记不填"
    )


class ProductPatch(Schema):
    version: int | None = Field(None, title="版本")
    name: str | None = Field(None, max_length=200)
    producer_name: str | None = Field(None, max_length=200)
    producer_kind: str | None = None
    origin_code: str | None = None
    category: str | None = None
    unit: str | None = Field(None, max_length=20)
    price: Decimal | None = None
    certification: str | None = Field(None, max_length=200)
    stock: Decimal | None = None
    season: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=5000)
    contact_phone: str | None = Field(None, max_length=20)


class PhotoOut(Schema):
    id: int
    name: str
    url: str


class ProductOut(Schema):
    id: int
    number: str
    name: str
    producer_name: str
    producer_kind: str
    producer_kind_label: str
    origin_code: str
    origin_name: str
    category: str
    category_label: str
    unit: str
    price: Decimal
    certification: str
    stock: Decimal | None
    season: str
    description: str
    contact_phone: str
    status: str
    status_label: str
    is_paired: bool
    in_key_county: bool
    registered_by_organization: str | None
    version: int

    @staticmethod
    def resolve_producer_kind_label(obj: Product) -> str:
        return obj.get_producer_kind_display()

    @staticmethod
    def resolve_origin_code(obj: Product) -> str:
        return obj.origin_id

    @staticmethod
    def resolve_origin_name(obj: Product) -> str:
        return obj.origin.full_name or obj.origin.name

    @staticmethod
    def resolve_category_label(obj: Product) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj: Product) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_is_paired(obj: Product) -> bool:
        return bool(getattr(obj, "is_paired", 0))

    @staticmethod
    def resolve_in_key_county(obj: Product) -> bool:
        return bool(getattr(obj, "in_key_county", 0))

    @staticmethod
    def resolve_registered_by_organization(obj: Product) -> str | None:
        return obj.organization.name if obj.organization_id else None  # type: ignore[union-attr]


class PurchaseIn(Schema):
    product_id: int = Field(..., title="产品")
    quantity: Decimal = Field(..., title="数量")
    amount: Decimal | None = Field(None, title="金额（元）", description="不填按 数量 × 单价")
    purchased_on: date = Field(..., title="采购日期")
    channel: str = Field(..., title="渠道", description="direct / ecommerce / fair")
    event_id: int | None = Field(None, title="展销会", description="渠道为 fair 时必填")
    campaign_id: int | None = Field(None, title="专项行动", description="本组织已报名的专项行动")
    invoice_number: str = Field(..., title="发票号码", max_length=64)
    member_id: int | None = Field(None, title="采购成员", description="成员个人采购时为该成员；普通成员只能填本人")


class BatchIn(Schema):
    organization_id: int = Field(..., title="采购组织")
    purchases: list[PurchaseIn] = Field(..., title="采购明细", min_length=1, max_length=500)


class PurchaseOut(Schema):
    id: int
    number: str
    batch_number: str
    buyer_id: int
    buyer_name: str
    by_member: bool
    product_id: int
    product_number: str
    product_name: str
    origin_code: str
    origin_name: str
    quantity: Decimal
    unit: str
    amount: Decimal
    purchased_on: date
    channel: str
    channel_label: str
    event_id: int | None
    event_name: str | None
    campaign_id: int | None
    campaign_name: str | None
    invoice_number: str
    recorded_at: datetime

    @staticmethod
    def resolve_batch_number(obj: Purchase) -> str:
        return obj.batch.number

    @staticmethod
    def resolve_buyer_name(obj: Purchase) -> str:
        return obj.buyer.name

    @staticmethod
    def resolve_by_member(obj: Purchase) -> bool:
        return obj.member_id is not None

    @staticmethod
    def resolve_product_number(obj: Purchase) -> str:
        return obj.product.number

    @staticmethod
    def resolve_product_name(obj: Purchase) -> str:
        return obj.product.name

    @staticmethod
    def resolve_origin_code(obj: Purchase) -> str:
        return obj.product.origin_id

    @staticmethod
    def resolve_origin_name(obj: Purchase) -> str:
        return obj.product.origin.full_name or obj.product.origin.name

    @staticmethod
    def resolve_unit(obj: Purchase) -> str:
        return obj.product.unit

    @staticmethod
    def resolve_channel_label(obj: Purchase) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_event_name(obj: Purchase) -> str | None:
        return obj.event.name if obj.event_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_campaign_name(obj: Purchase) -> str | None:
        return obj.campaign.name if obj.campaign_id else None  # type: ignore[union-attr]


class BatchOut(Schema):
    id: int
    number: str
    organization_id: int
    organization_name: str
    source: str
    file_name: str
    purchase_count: int
    total_amount: Decimal
    recorded_at: datetime

    @staticmethod
    def resolve_organization_name(obj: PurchaseBatch) -> str:
        return obj.organization.name


class BatchDetailOut(BatchOut):
    """A batch with its lines and invoice files (set on the batch by the API as `lines` and `files`)."""

    purchases: list[PurchaseOut]
    invoices: list[PhotoOut]

    @staticmethod
    def resolve_purchases(obj: PurchaseBatch) -> list[Purchase]:
        return list(obj.lines)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_invoices(obj: PurchaseBatch) -> list[dict[str, object]]:
        return list(obj.files)  # type: ignore[attr-defined]


class TotalOut(Schema):
    key: str
    label: str
    purchase_count: int
    amount: Decimal


class TotalsOut(Schema):
    purchase_count: int
    amount: Decimal
    by_buyer: list[TotalOut]
    by_county: list[TotalOut]
    by_campaign: list[TotalOut]
