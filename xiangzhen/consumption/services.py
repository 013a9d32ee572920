"""Every write to consumption assistance: products (register, edit, delist, relist, photos) and
purchases, recorded in batches (one form submission, one API call or one imported file each).

A batch is written in one transaction together with its transparency-log leaf, its audit entry
and the rollups of each purchase, so a refused or rolled-back batch leaves nothing behind.
The idempotency key of purchases is (buyer, invoice number, product): the form and the API refuse
a repeated line, the import skips it ("已导入，跳过").
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from xiangzhen.consumption import excel, leaves, rules, selectors
from xiangzhen.consumption.models import Product, Purchase, PurchaseBatch
from xiangzhen.consumption.validation import (
    CleanProduct,
    CleanPurchase,
    ProductData,
    PurchaseData,
    clean_product_data,
    clean_purchase_data,
)
from xiangzhen.core import audit, textsearch
from xiangzhen.core.attachments import attach
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import check_version
from xiangzhen.core.uploads import ImportReport
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.stats import rollups
from xiangzhen.tlog.services import append_leaf

PRODUCT_AUDIT_FIELDS = [*ProductData.field_names(), "origin", "status", "version", "organization"]
MAX_BATCH = 500


def _product_region(product: Product) -> str:
    return product.origin_id


def _index(product: Product) -> str:
    return textsearch.index_text(
        product.name, product.producer_name, product.get_category_display(), product.certification,
        product.season, product.description, product.origin.full_name or product.origin.name,
    )  # fmt: skip


def _write_product(product: Product, clean: CleanProduct) -> None:
    for name in ("name", "producer_name", "unit", "certification", "season", "description"):
        setattr(product, name, clean.text[name])
    product.producer_kind = clean.producer_kind
    product.origin = clean.origin
    product.category = clean.category
    product.price = clean.price
    product.stock = clean.stock
    product.contact_phone = clean.contact_phone
    product.search_index = _index(product)


def _product_snapshot(product: Product) -> dict[str, Any]:
    return audit.snapshot(product, PRODUCT_AUDIT_FIELDS)


@transaction.atomic
def create_product(
    *, actor: Any, data: ProductData, organization: Organization | None = None, photos: list[UploadedFile] | None = None
) -> Product:
    """Staff of the origin register a product; or an organization's admin does, for a village's product."""
    clean = clean_product_data(data)
    if organization is not None:
        if not rules.is_admin(actor, organization):
            raise Forbidden(f"只有“{organization.name}”的管理员可以以该组织名义登记产品")
        if codes.level_of(clean.origin.code) != codes.Level.VILLAGE:
            raise ValidationFailed.on("origin_code", "社会组织登记的产品，产地须具体到村")
    elif not rules.can_register_at(actor, clean.origin.code):
        raise Forbidden(f"只有“{clean.origin.name}”所在县、乡镇、村的工作人员可以登记该地的产品")
    product = Product(created_by=actor, organization=organization, status=Product.Status.LISTED)
    _write_product(product, clean)
    product.number = next_number("CP", clean.origin.code)
    product.save()
    audit.record(
        actor=actor, action="consumption.product_create", instance=product, region_code=_product_region(product),
        after=_product_snapshot(product),
    )  # fmt: skip
    for upload in photos or []:
        attach(actor=actor, owner=product, upload=upload, field="photos")
    return product


def _editable(actor: Any, product: Product) -> Product:
    if not selectors.visible_products(actor).filter(pk=product.pk).exists():
        raise NotFound("产品不存在或无权查看")
    locked = Product.objects.select_for_update(of=("self",)).select_related("origin", "organization").get(pk=product.pk)
    if not rules.can_edit_product(actor, locked):
        raise Forbidden("只有产地的县、乡镇、村工作人员或登记该产品的社会组织管理员可以修改该产品")
    return locked


@transaction.atomic
def update_product(
    *, actor: Any, product: Product, changes: dict[str, Any], expected_version: int | None = None
) -> Product:
    """Edit the listing. The origin is fixed once the product has been bought (the log records it)."""
    locked = _editable(actor, product)
    check_version(locked, product.version if expected_version is None else expected_version, "产品")
    clean = clean_product_data(ProductData.of(locked).merged(changes))
    if clean.origin.code != locked.origin_id:
        if locked.purchases.exists():
            raise ValidationFailed.on("origin_code", "该产品已有采购记录，不能修改产地")
        if not rules.can_register_at(actor, clean.origin.code) and not (
            locked.organization_id and codes.level_of(clean.origin.code) == codes.Level.VILLAGE
        ):
            raise ValidationFailed.on("origin_code", f"您不能把产地改为“{clean.origin.name}”")
    before = _product_snapshot(locked)
    _write_product(locked, clean)
    locked.version += 1
    locked.save()
    audit.record(
        actor=actor, action="consumption.product_update", instance=locked, region_code=_product_region(locked),
        before=before, after=_product_snapshot(locked),
    )  # fmt: skip
    return locked


def _set_status(actor: Any, product: Product, status: str, expected_version: int | None) -> Product:
    locked = _editable(actor, product)
    check_version(locked, expected_version, "产品")
    if locked.status == status:
        raise InvalidTransition(f"该产品已经是“{locked.get_status_display()}”状态")
    before = _product_snapshot(locked)
    locked.status = status
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    action = "delist" if status == Product.Status.DELISTED else "relist"
    audit.record(
        actor=actor, action=f"consumption.product_{action}", instance=locked, region_code=_product_region(locked),
        before=before, after=_product_snapshot(locked),
    )  # fmt: skip
    return locked


@transaction.atomic
def delist_product(*, actor: Any, product: Product, expected_version: int | None = None) -> Product:
    """Take the product off the public catalogue (sold out, out of season); its purchases stay."""
    return _set_status(actor, product, Product.Status.DELISTED, expected_version)


@transaction.atomic
def relist_product(*, actor: Any, product: Product, expected_version: int | None = None) -> Product:
    return _set_status(actor, product, Product.Status.LISTED, expected_version)


@transaction.atomic
def add_photos(*, actor: Any, product: Product, photos: list[UploadedFile]) -> Product:
    locked = _editable(actor, product)
    if not photos:
        raise ValidationFailed.on("photos", "请选择要上传的照片")
    for upload in photos:
        if not (upload.name or "").lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
            raise ValidationFailed.on("photos", f"“{upload.name}”不是照片：只能上传 JPG、PNG、WEBP 图片")
        attach(actor=actor, owner=locked, upload=upload, field="photos")
    return locked


# ---------------------------------------------------------------- purchases


def _require_buyer(actor: Any, organization: Organization) -> None:
    if not rules.is_member(actor, organization):
        raise Forbidden(f"只有“{organization.name}”的成员可以登记该组织的消费帮扶采购")
    if organization.status != Organization.Status.APPROVED:
        raise InvalidTransition(
            f"“{organization.name}”当前为“{organization.get_status_display()}”，只有审核通过的社会组织才能登记采购"
        )


def _check_member(actor: Any, organization: Organization, clean: CleanPurchase) -> str | None:
    """A plain member records only their own purchases; admins record anyone's in the organization."""
    if rules.is_admin(actor, organization):
        return None
    if clean.member is None or clean.member.pk != actor.pk:
        return "普通成员只能登记本人的采购（采购成员须为本人）；登记组织或其他成员的采购请联系本组织管理员"
    return None


def _existing(organization: Organization, clean: CleanPurchase) -> Purchase | None:
    return Purchase.objects.filter(
        buyer=organization, invoice_number=clean.invoice_number, product=clean.product
    ).first()


def _write_batch(
    actor: Any, organization: Organization, cleans: list[CleanPurchase], *, source: str, file_name: str = ""
) -> PurchaseBatch:
    """The batch, its purchases, their rollups, the leaf and the audit entry; the caller has checked everything."""
    batch = PurchaseBatch.objects.create(
        number=next_number("CG", organization.region_id),
        organization=organization,
        source=source,
        file_name=file_name[:200],
        purchase_count=len(cleans),
        total_amount=sum((c.amount for c in cleans), Decimal("0.00")),
        recorded_by=actor,
    )
    for clean in cleans:
        purchase = Purchase(
            number=next_number("XF", organization.region_id),
            batch=batch,
            product=clean.product,
            buyer=organization,
            member=clean.member,
            quantity=clean.quantity,
            amount=clean.amount,
            purchased_on=clean.purchased_on,
            channel=clean.channel,
            event=clean.event,
            campaign=clean.campaign,
            invoice_number=clean.invoice_number,
            recorded_by=actor,
        )
        try:
            with transaction.atomic():
                purchase.save()
        except IntegrityError:
            raise ValidationFailed.on(
                "invoice_number", f"发票“{clean.invoice_number}”上的“{clean.product.name}”刚刚已登记过，请勿重复登记"
            ) from None
        rollups.apply(purchase, {})
    append_leaf(kind=leaves.PURCHASE_BATCH, number=batch.number, payload=leaves.batch_payload(batch))
    audit.record(
        actor=actor, action="consumption.purchase_batch", instance=batch, region_code=organization.region_id,
        after={"number": batch.number, "source": source, "count": batch.purchase_count,
               "total": str(batch.total_amount), "file": file_name[:100]},
    )  # fmt: skip
    return batch


@transaction.atomic
def record_purchases(
    *, actor: Any, organization: Organization, purchases: list[PurchaseData], invoices: list[UploadedFile] | None = None
) -> PurchaseBatch:
    """One submission: one batch of one or more purchases (all or none), with its invoice files."""
    _require_buyer(actor, organization)
    if not purchases:
        raise ValidationFailed.on("purchases", "请至少填写一笔采购")
    if len(purchases) > MAX_BATCH:
        raise ValidationFailed.on("purchases", f"一次最多登记 {MAX_BATCH} 笔，请分批登记或使用 Excel 导入")
    today = timezone.localdate()
    cleans: list[CleanPurchase] = []
    seen: dict[tuple[str, int], int] = {}
    for position, data in enumerate(purchases, start=1):
        prefix = f"第 {position} 笔：" if len(purchases) > 1 else ""
        try:
            clean = clean_purchase_data(data, organization, today=today)
        except ValidationFailed as exc:
            if not prefix:
                raise
            raise ValidationFailed(
                prefix + exc.message, [type(e)(e.field, prefix + e.message) for e in exc.errors]
            ) from None
        problem = _check_member(actor, organization, clean)
        if problem:
            raise Forbidden(prefix + problem)
        key = (clean.invoice_number, clean.product.pk)
        if key in seen:
            raise ValidationFailed.on(
                "invoice_number", f"{prefix}与第 {seen[key]} 笔是同一发票上的同一产品，请合并为一笔"
            )
        seen[key] = position
        existing = _existing(organization, clean)
        if existing is not None:
            raise ValidationFailed.on(
                "invoice_number",
                f"{prefix}发票“{clean.invoice_number}”上的“{clean.product.name}”已登记过（{existing.number}），请勿重复登记",
            )
        cleans.append(clean)
    batch = _write_batch(actor, organization, cleans, source=PurchaseBatch.Source.FORM)
    for upload in invoices or []:
        attach(actor=actor, owner=batch, upload=upload, field="invoices")
    return batch


@transaction.atomic
def add_invoices(*, actor: Any, batch: PurchaseBatch, invoices: list[UploadedFile]) -> PurchaseBatch:
    """Invoice scans added to a batch afterwards, by whoever may record the organization's purchases."""
    if not selectors.batches(actor).filter(pk=batch.pk).exists():
        raise NotFound("采购批次不存在或无权查看")
    organization = batch.organization
    if not (rules.is_admin(actor, organization) or batch.recorded_by_id == getattr(actor, "pk", None)):
        raise Forbidden("只有本组织管理员或该批次的登记人可以上传发票")
    if not invoices:
        raise ValidationFailed.on("files", "请选择发票文件")
    for upload in invoices:
        attach(actor=actor, owner=batch, upload=upload, field="files")
    return batch


# ---------------------------------------------------------------- Excel import of purchases


@dataclass
class ImportRow:
    row_number: int
    product: str
    amount: str
    invoice_number: str
    outcome: str  # "create" or "exists"


@transaction.atomic
def import_purchases(
    *, actor: Any, organization: Organization, filename: str, content: bytes, dry_run: bool = False
) -> ImportReport[ImportRow]:
    """A purchase list into one batch, all rows or none. A line whose invoice number and product are
    already recorded for the organization is skipped (“已导入，跳过”), so importing the same file
    twice records nothing twice; the same line twice in one file is an error naming both rows."""
    _require_buyer(actor, organization)
    parsed = excel.parse_purchases(filename, content)
    if not parsed:
        raise ValidationFailed.on("file", "文件中没有数据行")
    if len(parsed) > 5000:
        raise ValidationFailed.on("file", "一次最多导入 5000 行，请分成几个文件")
    report: ImportReport[ImportRow] = ImportReport()
    today = timezone.localdate()
    seen: dict[tuple[str, int], int] = {}
    plan: list[tuple[int, CleanPurchase]] = []
    is_admin = rules.is_admin(actor, organization)
    for row in parsed:
        errors = list(row.errors)
        data = row.data
        if not is_admin and data.member in (None, ""):
            data = data.merged({"member": actor.pk})
        try:
            clean = clean_purchase_data(data, organization, today=today)
        except ValidationFailed as exc:
            errors.extend(e.message for e in exc.errors)
        else:
            problem = _check_member(actor, organization, clean)
            if problem:
                errors.append(problem)
            key = (clean.invoice_number, clean.product.pk)
            if key in seen:
                errors.append(f"发票“{clean.invoice_number}”上的“{clean.product.name}”与第 {seen[key]} 行重复")
            else:
                seen[key] = row.row_number
            if not errors:
                plan.append((row.row_number, clean))
        report.errors.extend((row.row_number, message) for message in errors)
    if report.errors:
        report.errors.sort()
        return report
    new: list[CleanPurchase] = []
    for row_number, clean in plan:
        existing = _existing(organization, clean)
        outcome = "exists" if existing is not None else "create"
        report.rows.append(ImportRow(row_number, clean.product.name, str(clean.amount), clean.invoice_number, outcome))
        if existing is not None:
            report.existing += 1
        else:
            report.created += 1
            new.append(clean)
    if new and not dry_run:
        batch = _write_batch(actor, organization, new, source=PurchaseBatch.Source.IMPORT, file_name=filename)
        report.numbers.append(batch.number)
    return report
