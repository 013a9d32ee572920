from django.db import models

from xiangzhen.regions.codes import Level


class Region(models.Model):
    """One node of the five-level division tree, keyed by its 12-digit code.

    The code is the primary key so that every foreign key to a region *is* its code, and
    scoping any table by region is a range on its own indexed column, without a join.
    """

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100, db_index=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    pinyin = models.CharField("拼音", max_length=300, blank=True, db_index=True)
    initials = models.CharField("拼音首字母", max_length=60, blank=True, db_index=True)
    # The full path (湖南省 湘西土家族苗族自治州 花垣县) so lists show where a place is without a join.
    full_name = models.CharField("全称", max_length=300, blank=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.full_name or self.name


class Designation(models.Model):
    """A label a province puts on a region, which the platform uses to tilt resources."""

    class Kind(models.TextChoices):
        NATIONAL_KEY_COUNTY = "national_key_county", "国家乡村振兴重点帮扶县"
        PROVINCIAL_KEY_COUNTY = "provincial_key_county", "省级乡村振兴重点帮扶县"
        POVERTY_EXITED_VILLAGE = "poverty_exited_village", "脱贫村"
        KEY_ASSISTED_VILLAGE = "key_assisted_village", "重点帮扶村"
        DEMONSTRATION_VILLAGE = "demonstration_village", "示范创建村"
        RELOCATION_SITE = "relocation_site", "易地扶贫搬迁安置点"

    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="designations")
    kind = models.CharField("类型", max_length=40, choices=Kind.choices)
    set_by = models.ForeignKey(
        "accounts.User", verbose_name="设置人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "区划认定"
        verbose_name_plural = "区划认定"
        ordering = ["region_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="designation_unique_per_region")]
        # Lists ask "which regions are key counties" on every page (priority flags, the key-county
        # filter): by kind first, so that is an index range instead of a scan of 77k designations.
        indexes = [models.Index(fields=["kind", "region"], name="designation_kind_region")]

    def __str__(self) -> str:
        return f"{self.region.name}：{self.get_kind_display()}"
