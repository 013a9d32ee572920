from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Department(models.Model):
    """A civil affairs or rural revitalization department of a province, city or county."""

    class Kind(models.TextChoices):
        CIVIL_AFFAIRS = "civil_affairs", "民政部门"
        RURAL_REVITALIZATION = "rural_revitalization", "乡村振兴部门"

    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["region_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "region"], name="department_unique_kind_region")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. What they may see follows from `role` and its region or organization."""

    class Role(models.TextChoices):
        PLATFORM_ADMIN = "platform_admin", "平台管理员"
        DEPARTMENT_STAFF = "department_staff", "部门工作人员"
        SUBMITTER = "submitter", "乡村需求填报员"
        ORGANIZATION = "organization", "社会组织人员"

    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.ORGANIZATION)
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    department = models.ForeignKey(
        Department, verbose_name="所属部门", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # Only for township and village submitters; staff take their region from their department.
    region = models.ForeignKey(
        "regions.Region", verbose_name="负责区划", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when someone else chose the password (an initial or reset one): the next login must replace it.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    # Kept by the services that add and remove authenticator apps (see accounts.twofactor).
    two_factor_enabled = models.BooleanField("已启用两步验证", default=False, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="department_staff") | Q(department__isnull=False),
                name="user_staff_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(role="submitter") | Q(region__isnull=False),
                name="user_submitter_has_region",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A revocable token for system integration. Only a SHA-256 of the secret is stored.

    The secret is 32 random bytes, so a fast hash is enough: there is nothing to brute-force,
    and lookups by hash stay a single indexed query. A token is read-only unless issued with the
    write scope: a read token may only make GET, HEAD and OPTIONS requests (`accounts.auth`).
    """

    class Scope(models.TextChoices):
        READ = "read", "只读"
        WRITE = "write", "读写"

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=12)
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    scope = models.CharField("权限范围", max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
