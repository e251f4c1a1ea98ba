from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zongzhi.accounts.models import Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "place", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    raw_id_fields = ["place", "unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("岗位", {"fields": ["display_name", "role", "place", "unit"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("岗位", {"fields": ["display_name", "role", "place", "unit"]}),
    ]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "department", "place", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "department"]
    raw_id_fields = ["place"]
