"""Special funds (乡村振兴专项基金): the fund, its projects, money in and out, the ledger, disclosures.

Money moves only through the double-entry ledger (`Account`, `JournalEntry`, `JournalLine`):
balances are sums of lines, never a stored number, and every entry's lines balance.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangzhen.core.crypto import EncryptedTextField, mask_name


class Fund(models.Model):
    """A special fund set up inside a social organization by a founder (enterprise, person, …)."""

    class FounderKind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        INDIVIDUAL = "individual", "个人"
        ORGANIZATION = "organization", "其他组织"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        ACTIVE = "active", "运行中"
        CLOSED = "closed", "已关闭"

    number = models.CharField("编号", max_length=40, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name="所属社会组织", on_delete=models.PROTECT, related_name="funds"
    )
    name = models.CharField("基金名称", max_length=200)
    founder_kind = models.CharField("设立方类型", max_length=20, choices=FounderKind.choices)
    # An individual founder's name is personal data: encrypted here, masked on public pages.
    founder_name = EncryptedTextField("设立方名称")
    purpose = models.TextField("宗旨和用途")
    domains = models.ManyToManyField("core.Domain", verbose_name="资助领域", related_name="+")
    target_regions = models.ManyToManyField("regions.Region", verbose_name="资助地区", related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    close_reason = models.CharField("关闭原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    activated_at = models.DateTimeField("批准时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_region_field = "organization__region__code"
    scope_organization_field = "organization"

    class Meta:
        verbose_name = "专项基金"
        verbose_name_plural = "专项基金"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "active", "closed"]), name="fund_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_public(self) -> bool:
        """Active funds, and closed ones that were active, are public records (attachments follow)."""
        return self.activated_at is not None and self.status in (self.Status.ACTIVE, self.Status.CLOSED)

    @property
    def public_founder_name(self) -> str:
        if self.founder_kind == self.FounderKind.INDIVIDUAL:
            return mask_name(self.founder_name)
        return self.founder_name


class FundProject(models.Model):
    """A project the fund finances: the unit of disclosure (each project its own disclosures)."""

    number = models.CharField("编号", max_length=40, unique=True)
    fund = models.ForeignKey(Fund, verbose_name="专项基金", on_delete=models.PROTECT, related_name="projects")
    name = models.CharField("项目名称", max_length=200)
    description = models.TextField("项目内容", blank=True)
    domain = models.ForeignKey(
        "core.Domain", verbose_name="领域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    budget = models.DecimalField("预算（元）", max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_region_field = "fund__organization__region__code"
    scope_organization_field = "fund__organization"

    class Meta:
        verbose_name = "基金项目"
        verbose_name_plural = "基金项目"
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="fund_project_dates_ordered"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_public(self) -> bool:
        return self.fund.is_public


class Account(models.Model):
    """One ledger account of a fund. `purpose` is "" (unrestricted) or a restriction key such as
    "project:JX-433124-2026-000001" or "domain:education"; the asset account has no purpose."""

    class Kind(models.TextChoices):
        ASSET = "asset", "货币资金"
        NET_ASSETS = "net_assets", "净资产"
        EXPENSE = "expense", "已拨付支出"

    fund = models.ForeignKey(Fund, verbose_name="专项基金", on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField("科目类别", max_length=20, choices=Kind.choices)
    purpose = models.CharField("限定用途", max_length=80, blank=True)

    class Meta:
        verbose_name = "基金科目"
        verbose_name_plural = "基金科目"
        ordering = ["fund_id", "kind", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind", "purpose"], name="fund_account_unique"),
            models.CheckConstraint(condition=Q(kind__in=["asset", "net_assets", "expense"]), name="fund_account_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.purpose or '非限定'}"


class JournalEntry(models.Model):
    """One balanced posting (a donation or a disbursement). Never changed after it is written."""

    fund = models.ForeignKey(Fund, verbose_name="专项基金", on_delete=models.PROTECT, related_name="entries")
    posted_on = models.DateField("记账日期")
    memo = models.CharField("摘要", max_length=200)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "记账凭证"
        verbose_name_plural = "记账凭证"
        ordering = ["posted_on", "id"]

    def __str__(self) -> str:
        return f"{self.posted_on} {self.memo}"


class JournalLine(models.Model):
    """A debit or a credit (exactly one of them positive) on one account."""

    entry = models.ForeignKey(JournalEntry, verbose_name="凭证", on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, verbose_name="科目", on_delete=models.PROTECT, related_name="lines")
    debit = models.DecimalField("借方", max_digits=14, decimal_places=2, default=0)
    credit = models.DecimalField("贷方", max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = "凭证分录"
        verbose_name_plural = "凭证分录"
        ordering = ["entry_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="fund_line_one_side_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"借 {self.debit} / 贷 {self.credit}"


class Donation(models.Model):
    """Money in. The donor is known to the organization always; to the public only if not anonymous."""

    class DonorKind(models.TextChoices):
        INDIVIDUAL = "individual", "个人"
        ENTERPRISE = "enterprise", "企业"
        ORGANIZATION = "organization", "社会组织"
        OTHER = "other", "其他"

    class Channel(models.TextChoices):
        BANK = "bank", "银行转账"
        PLATFORM = "platform", "网络募捐平台"
        CASH = "cash", "现金"
        OTHER = "other", "其他"

    number = models.CharField("捐赠编号", max_length=40, unique=True)
    fund = models.ForeignKey(Fund, verbose_name="专项基金", on_delete=models.PROTECT, related_name="donations")
    donor_kind = models.CharField("捐赠方类型", max_length=20, choices=DonorKind.choices)
    donor_name = EncryptedTextField("捐赠方")
    # Random per donation; the log carries only sha256(salt ‖ name), so the donor can later be
    # proven to be the one committed to without the log revealing who gave.
    donor_salt = models.CharField("捐赠方承诺盐值", max_length=64)
    anonymous = models.BooleanField("对外匿名", default=False)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    donated_on = models.DateField("捐赠日期")
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    restricted_project = models.ForeignKey(
        FundProject, verbose_name="限定项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_domain = models.ForeignKey(
        "core.Domain", verbose_name="限定领域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_number = models.CharField("收据编号", max_length=64, blank=True)
    transaction_number = models.CharField("交易流水号", max_length=64, blank=True)
    entry = models.OneToOneField(JournalEntry, verbose_name="凭证", on_delete=models.PROTECT, related_name="donation")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "fund__organization__region__code"
    scope_organization_field = "fund__organization"

    class Meta:
        verbose_name = "捐赠"
        verbose_name_plural = "捐赠"
        ordering = ["-donated_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(
                condition=Q(restricted_project__isnull=True) | Q(restricted_domain__isnull=True),
                name="donation_one_restriction",
            ),
            models.CheckConstraint(
                condition=~Q(receipt_number="") | ~Q(transaction_number=""), name="donation_has_reference"
            ),
            # The idempotency keys of imports and retries: the same bank or platform record twice is one donation.
            models.UniqueConstraint(
                fields=["fund", "receipt_number"], condition=~Q(receipt_number=""), name="donation_receipt_unique"
            ),
            models.UniqueConstraint(
                fields=["fund", "transaction_number"],
                condition=~Q(transaction_number=""),
                name="donation_transaction_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ¥{self.amount}"

    @property
    def public_donor(self) -> str:
        if self.anonymous:
            return "爱心人士（匿名）"
        if self.donor_kind == self.DonorKind.INDIVIDUAL:
            return mask_name(self.donor_name)
        return self.donor_name

    @property
    def purpose_label(self) -> str:
        if self.restricted_project_id:
            return f"限定项目：{self.restricted_project.name}"  # type: ignore[union-attr]
        if self.restricted_domain_id:
            return f"限定领域：{self.restricted_domain.name}"  # type: ignore[union-attr]
        return "非限定"


class DonationRefund(models.Model):
    """Money given back to a donor (all or part of one donation): its own balanced entry, never an
    edit of the donation's. The donation's receipt and leaf stay as they were."""

    number = models.CharField("退款编号", max_length=40, unique=True)
    donation = models.ForeignKey(Donation, verbose_name="捐赠", on_delete=models.PROTECT, related_name="refunds")
    fund = models.ForeignKey(Fund, verbose_name="专项基金", on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField("退款金额（元）", max_digits=14, decimal_places=2)
    refunded_on = models.DateField("退款日期")
    reason = models.CharField("退款原因", max_length=500)
    entry = models.OneToOneField(JournalEntry, verbose_name="凭证", on_delete=models.PROTECT, related_name="refund")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "fund__organization__region__code"
    scope_organization_field = "fund__organization"

    class Meta:
        verbose_name = "捐赠退款"
        verbose_name_plural = "捐赠退款"
        ordering = ["-refunded_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="donation_refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.number} ¥{self.amount}"

    @property
    def is_public(self) -> bool:
        return self.fund.is_public


# The things money can be paid to; a disbursement names exactly one of them.
DISBURSEMENT_TARGETS = ("match", "project", "pairing", "activity", "facility")


def _exactly_one(fields: tuple[str, ...]) -> Q:
    condition = Q()
    for chosen in fields:
        term = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                term &= Q(**{f"{other}__isnull": True})
        condition |= term
    return condition


class Disbursement(models.Model):
    """Money out, to exactly one target: a confirmed match, one of the fund's projects, a pairing,
    a campaign activity or one of the four small rooms."""

    number = models.CharField("拨付编号", max_length=40, unique=True)
    fund = models.ForeignKey(Fund, verbose_name="专项基金", on_delete=models.PROTECT, related_name="disbursements")
    match = models.ForeignKey(
        "matching.Match", verbose_name="供需对接", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        FundProject, verbose_name="基金项目", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disbursements",
    )  # fmt: skip
    pairing = models.ForeignKey(
        "pairings.Pairing", verbose_name="结对帮扶", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disbursements",
    )  # fmt: skip
    activity = models.ForeignKey(
        "campaigns.Activity", verbose_name="专项行动活动", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disbursements",
    )  # fmt: skip
    facility = models.ForeignKey(
        "facilities.Facility", verbose_name="四小建设", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disbursements",
    )  # fmt: skip
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    paid_on = models.DateField("拨付日期")
    payee = models.CharField("收款方", max_length=200)
    purpose = models.CharField("用途", max_length=500)
    entry = models.OneToOneField(
        JournalEntry, verbose_name="凭证", on_delete=models.PROTECT, related_name="disbursement"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_region_field = "fund__organization__region__code"
    scope_organization_field = "fund__organization"

    class Meta:
        verbose_name = "拨付"
        verbose_name_plural = "拨付"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(condition=_exactly_one(DISBURSEMENT_TARGETS), name="disbursement_one_target"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ¥{self.amount}"

    @property
    def is_public(self) -> bool:
        return self.fund.is_public

    @property
    def target_kind(self) -> str:
        return next(name for name in DISBURSEMENT_TARGETS if getattr(self, f"{name}_id"))

    @property
    def target_label(self) -> str:
        return str(self._meta.get_field(self.target_kind).verbose_name)  # type: ignore[union-attr]

    @property
    def target(self) -> models.Model:
        target: models.Model = getattr(self, self.target_kind)
        return target

    @property
    def target_number(self) -> str:
        return str(self.target.number)  # type: ignore[attr-defined]


class Disclosure(models.Model):
    """One published disclosure of a fund (project empty) or of one of its projects, for a period.

    The figures are those of the ledger for the period at the moment of publication: a disclosure
    is a statement made on a date and stays what was said.
    """

    number = models.CharField("编号", max_length=40, unique=True)
    fund = models.ForeignKey(Fund, verbose_name="专项基金", on_delete=models.PROTECT, related_name="disclosures")
    project = models.ForeignKey(
        FundProject, verbose_name="基金项目", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disclosures",
    )  # fmt: skip
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    is_final = models.BooleanField("项目结项公开", default=False)
    text = models.TextField("公开内容")
    income = models.DecimalField("期间收入（元）", max_digits=14, decimal_places=2)
    expense = models.DecimalField("期间支出（元）", max_digits=14, decimal_places=2)
    balance = models.DecimalField("期末余额（元）", max_digits=14, decimal_places=2)
    published_at = models.DateTimeField("公开时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="公开人", on_delete=models.PROTECT, related_name="+"
    )

    scope_region_field = "fund__organization__region__code"
    scope_organization_field = "fund__organization"

    class Meta:
        verbose_name = "信息公开"
        verbose_name_plural = "信息公开"
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="disclosure_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.period_start}—{self.period_end}"

    @property
    def is_public(self) -> bool:
        return self.fund.is_public
