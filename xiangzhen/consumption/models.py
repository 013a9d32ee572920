"""Consumption assistance (消费帮扶, 以购代捐 / 以买代帮): village products and the purchases made of them.

Purchases are recorded in batches (one form submission or one imported file): a batch is the
unit the transparency log commits to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Product(models.Model):
    class ProducerKind(models.TextChoices):
        COOPERATIVE = "cooperative", "农民专业合作社"
        HOUSEHOLD_ENTERPRISE = "household_enterprise", "家庭农场/家庭作坊"
        ENTERPRISE = "enterprise", "企业"
        HOUSEHOLD = "household", "农户"

    class Category(models.TextChoices):
        GRAIN_OIL = "grain_oil", "粮油"
        FRUIT_VEGETABLE = "fruit_vegetable", "果蔬"
        MEAT_EGG = "meat_egg", "畜禽肉蛋"
        AQUATIC = "aquatic", "水产"
        TEA = "tea", "茶叶"
        SPECIALTY = "specialty", "土特产干货"
        PROCESSED = "processed", "加工食品"
        HANDICRAFT = "handicraft", "手工艺品"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        LISTED = "listed", "在售"
        DELISTED = "delisted", "已下架"

    number = models.CharField("编号", max_length=40, unique=True)
    name = models.CharField("产品名称", max_length=200, db_index=True)
    producer_name = models.CharField("生产主体", max_length=200)
    producer_kind = models.CharField("主体类型", max_length=30, choices=ProducerKind.choices)
    origin = models.ForeignKey("regions.Region", verbose_name="产地（村）", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("品类", max_length=30, choices=Category.choices, db_index=True)
    unit = models.CharField("计量单位", max_length=20)
    price = models.DecimalField("单价（元）", max_digits=12, decimal_places=2)
    certification = models.CharField("认证", max_length=200, blank=True, help_text="如绿色食品、有机产品、地理标志")
    stock = models.DecimalField("库存", max_digits=14, decimal_places=2, null=True, blank=True)
    season = models.CharField("上市季节", max_length=100, blank=True)
    description = models.TextField("产品介绍", blank=True)
    contact_phone = models.CharField("订购电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.LISTED, db_index=True)
    # Set when an organization's admin registered the product (its admins may then edit it too).
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="登记组织", null=True, blank=True, on_delete=models.PROTECT,
        related_name="registered_products",
    )  # fmt: skip
    # Words of name, producer, category, certification and description cut by core.textsearch.
    search_index = models.TextField("检索词", blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_region_field = "origin__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "帮扶产品"
        verbose_name_plural = "帮扶产品"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="product_stock_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.producer_name}）"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.LISTED


class PurchaseBatch(models.Model):
    class Source(models.TextChoices):
        FORM = "form", "逐条登记"
        IMPORT = "import", "Excel 导入"

    number = models.CharField("批次编号", max_length=40, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="采购组织", on_delete=models.PROTECT, related_name="purchase_batches"
    )
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    file_name = models.CharField("导入文件", max_length=200, blank=True)
    purchase_count = models.PositiveIntegerField("笔数")
    total_amount = models.DecimalField("合计金额（元）", max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "organization__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "采购批次"
        verbose_name_plural = "采购批次"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.purchase_count} 笔 ¥{self.total_amount}"


class Purchase(models.Model):
    class Channel(models.TextChoices):
        DIRECT = "direct", "直接采购"
        ECOMMERCE = "ecommerce", "电商平台"
        FAIR = "fair", "展销会"

    number = models.CharField("编号", max_length=40, unique=True)
    batch = models.ForeignKey(PurchaseBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="purchases")
    product = models.ForeignKey(Product, verbose_name="产品", on_delete=models.PROTECT, related_name="purchases")
    buyer = models.ForeignKey(
        "organizations.Organization", verbose_name="采购组织", on_delete=models.PROTECT, related_name="purchases"
    )
    # A member buying in person (以买代帮) still counts for the organization.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="采购成员", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    purchased_on = models.DateField("采购日期", db_index=True)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    event = models.ForeignKey(
        "events.Event", verbose_name="展销会", null=True, blank=True, on_delete=models.PROTECT, related_name="sales"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="专项行动", null=True, blank=True, on_delete=models.PROTECT,
        related_name="purchases",
    )  # fmt: skip
    invoice_number = models.CharField("发票号码", max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "product__origin__code"
    scope_organization_field = "buyer"

    class Meta:
        verbose_name = "消费帮扶采购"
        verbose_name_plural = "消费帮扶采购"
        ordering = ["-purchased_on", "-id"]
        indexes = [models.Index(fields=["buyer", "purchased_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(amount__gt=0), name="purchase_positive"),
            models.CheckConstraint(
                condition=~Q(channel="fair") | Q(event__isnull=False), name="purchase_fair_has_event"
            ),
            # The idempotency key of imports: one invoice line is one purchase, however often imported.
            models.UniqueConstraint(fields=["buyer", "invoice_number", "product"], name="purchase_invoice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.product.name} ¥{self.amount}"
