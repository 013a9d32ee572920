from django.db import models


class Rollup(models.Model):
    """One running total: a metric, in one county (or the record's own region above county level),
    for one calendar month, optionally split by a dimension (a beneficiary group, a status, an
    organization's id for distinct counts).

    The services adjust these rows in the same transaction as the records they change, through
    `stats.rollups`; `rebuild_rollups --check` recounts them from the records and names any
    difference. Dashboards over a province read a few thousand of these rows, never the records.
    """

    metric = models.CharField("指标", max_length=40)
    region_code = models.CharField("区划代码", max_length=12)
    month = models.DateField("月份")
    dimension = models.CharField("分组", max_length=64, blank=True, default="")
    value = models.DecimalField("数值", max_digits=20, decimal_places=2, default=0)

    class Meta:
        verbose_name = "统计汇总"
        verbose_name_plural = "统计汇总"
        ordering = ["metric", "region_code", "month", "dimension"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "region_code", "month", "dimension"], name="rollup_key_unique")
        ]
        indexes = [
            models.Index(fields=["metric", "month", "region_code"]),
            # A region's figures over a period, all metrics at once (the dashboards' sums).
            models.Index(fields=["region_code", "month"], name="rollup_region_month"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.region_code} {self.month:%Y-%m} {self.dimension} = {self.value}"
