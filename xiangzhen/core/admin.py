from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xiangzhen.core import services
from xiangzhen.core.models import AuditEntry, BeneficiaryGroup, Domain

admin.site.site_header = "乡振 平台管理"
admin.site.site_title = "乡振 平台管理"


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits go through a service, so they land in the audit trail like every other write."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.save_from_admin(actor=request.user, instance=obj, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_from_admin(actor=request.user, instance=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            services.delete_from_admin(actor=request.user, instance=obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records whose changes must go through their own workflow pages."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Domain)
class DomainAdmin(AuditedAdmin):
    list_display = ["name", "code", "sort_order"]


@admin.register(BeneficiaryGroup)
class BeneficiaryGroupAdmin(AuditedAdmin):
    list_display = ["name", "code", "most_vulnerable", "sort_order"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_repr", "region_code"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id"]
