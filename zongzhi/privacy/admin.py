from django.contrib import admin

from zongzhi.privacy.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = [
        "accessed_at",
        "viewer",
        "kind",
        "subject_type",
        "subject_id",
        "fields",
        "ip_address",
    ]
    list_filter = ["kind", "subject_type"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
