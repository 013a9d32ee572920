from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiangzhen.accounts.models import ApiToken, Department, User
from xiangzhen.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "department", "region", "is_active"]
    list_filter = ["role", "is_active", "department__kind"]
    search_fields = ["username", "full_name", "phone"]
    raw_id_fields = ["region"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("乡振", {"fields": ("role", "full_name", "phone", "department", "region")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("乡振", {"fields": ("role", "full_name", "department", "region")}),
    )


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    raw_id_fields = ["region"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]


# Authenticator devices are managed only through the audited services (enroll, reset by a manager):
# the admin would show their secrets and change them without a trace.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
