"""The transparency log's tables. All are append-only: database triggers (see the migrations)
refuse UPDATE and DELETE, so not even a bug in the platform can rewrite history quietly."""

from django.db import models
from django.utils import timezone


class LogEntry(models.Model):
    """One leaf. `index` is its position in the Merkle tree: gapless from 0, assigned under a lock."""

    index = models.BigIntegerField("序号", primary_key=True)
    kind = models.CharField("类型", max_length=40)
    number = models.CharField("记录编号", max_length=64)
    # The RFC 8785 canonical JSON exactly as hashed; kept as text so it can be read and exported.
    leaf = models.TextField("叶子内容")
    leaf_hash = models.BinaryField("叶子哈希", max_length=64)
    created_at = models.DateTimeField("写入时间", default=timezone.now)

    class Meta:
        verbose_name = "日志条目"
        verbose_name_plural = "日志条目"
        ordering = ["index"]
        constraints = [
            # One leaf per record and event, so "the leaf for a record" is well defined for audits.
            models.UniqueConstraint(fields=["kind", "number"], name="tlog_entry_kind_number_unique"),
            models.CheckConstraint(condition=models.Q(index__gte=0), name="tlog_entry_index_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind} {self.number}"


class SubtreeHash(models.Model):
    """The hash of a complete subtree above the leaves: level l ≥ 1, leaves [i·2^l, (i+1)·2^l).

    Stored when the leaf that completes it arrives, so any proof needs O(log n) lookups.
    """

    level = models.PositiveSmallIntegerField("层")
    index = models.BigIntegerField("序号")
    hash = models.BinaryField("哈希", max_length=64)

    class Meta:
        verbose_name = "子树哈希"
        verbose_name_plural = "子树哈希"
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="tlog_subtree_level_index_unique")]

    def __str__(self) -> str:
        return f"L{self.level}#{self.index}"


class Checkpoint(models.Model):
    """A signed tree head (C2SP tlog-checkpoint in a signed note). Every published one is kept."""

    tree_size = models.BigIntegerField("树大小", unique=True)
    root_hash = models.BinaryField("根哈希", max_length=64)
    note = models.TextField("签名检查点")
    created_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"检查点 {self.tree_size}"


class Cosignature(models.Model):
    """A witness's C2SP tlog-cosignature/v1 on one checkpoint (e.g. from another department)."""

    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name="检查点", on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness = models.CharField("见证方密钥名", max_length=200)
    line = models.TextField("签名行")
    timestamp = models.BigIntegerField("见证时间")
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "见证联署"
        verbose_name_plural = "见证联署"
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="tlog_cosignature_unique")]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.checkpoint_id}"
