"""Attaching files to records, and deciding who may download them.

The owning app's service calls `attach` inside its own transaction, after checking that the
actor may change the owner; downloads check the owner's scope (or that the owner is public).
"""

import hashlib
import mimetypes
from pathlib import PurePath
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet

from xiangzhen.core import audit
from xiangzhen.core.errors import NotFound, ValidationFailed
from xiangzhen.core.models import Attachment
from xiangzhen.core.scope import restrict

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}  # fmt: skip
# The first bytes of each kind, so a renamed executable is not accepted as a photo.
SIGNATURES = {
    "image/jpeg": [b"\xff\xd8\xff"], "image/png": [b"\x89PNG\r\n\x1a\n"], "image/webp": [b"RIFF"],
    "application/pdf": [b"%PDF"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [b"PK\x03\x04"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [b"PK\x03\x04"],
    "application/msword": [b"\xd0\xcf\x11\xe0"], "application/vnd.ms-excel": [b"\xd0\xcf\x11\xe0"],
}  # fmt: skip
MAX_PER_OWNER = 20


def content_matches(content_type: str, head: bytes) -> bool:
    """Whether a file's first bytes are those of `content_type` (WEBP is RIFF with "WEBP" at 8)."""
    if content_type == "image/webp" and head[8:12] != b"WEBP":
        return False
    return any(head.startswith(signature) for signature in SIGNATURES[content_type])


def _owner_key(owner: models.Model) -> tuple[str, str]:
    return owner._meta.label_lower, str(owner.pk)


def attach(*, actor: Any, owner: models.Model, upload: UploadedFile, field: str = "attachments") -> Attachment:
    """Store one uploaded file for `owner`. The caller has checked the actor may change the owner."""
    name = PurePath(upload.name or "").name[:200]
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        allowed = "JPG、PNG、WEBP 图片和 PDF、Word、Excel 文档"
        raise ValidationFailed.on(field, f"附件“{name}”的格式不支持，只能上传{allowed}")
    if not upload.size:
        raise ValidationFailed.on(field, f"附件“{name}”是空文件")
    if upload.size > MAX_BYTES:
        raise ValidationFailed.on(field, f"附件“{name}”超过 10 MB")
    content_type = ALLOWED[extension]
    head = upload.read(16)
    upload.seek(0)
    if not content_matches(content_type, head):
        raise ValidationFailed.on(field, f"附件“{name}”的内容与扩展名不符")
    owner_type, owner_id = _owner_key(owner)
    if Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id).count() >= MAX_PER_OWNER:
        raise ValidationFailed.on(field, f"每条记录最多 {MAX_PER_OWNER} 个附件")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        owner_type=owner_type,
        owner_id=owner_id,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action="core.attach",
        instance=attachment,
        region_code=_owner_region(owner),
        after={"owner": f"{owner_type}#{owner_id}", "name": name, "sha256": attachment.sha256},
    )
    return attachment


def _owner_region(owner: models.Model) -> str:
    value: Any = owner
    for part in getattr(type(owner), "scope_region_field", "").split("__"):
        value = getattr(value, part, None) if part else None
    return value if isinstance(value, str) else ""


def attachments_of(owner: models.Model) -> QuerySet[Attachment]:
    owner_type, owner_id = _owner_key(owner)
    return Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id)


def downloadable(user: Any, attachment_id: int) -> Attachment:
    """The attachment, if its owner is public or in the user's scope; otherwise NotFound."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在")
    model = apps.get_model(attachment.owner_type)
    owner = model._default_manager.filter(pk=attachment.owner_id).first()
    if owner is None:
        raise NotFound("附件不存在")
    if getattr(owner, "is_public", False):
        return attachment
    if not restrict(model._default_manager.filter(pk=owner.pk), user).exists():
        raise NotFound("附件不存在")
    return attachment


def guess_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
