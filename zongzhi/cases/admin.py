"""Admin for reference data. Cases themselves are shown read-only here: their changes go
through the workbench (cases.services), which writes the timeline."""

from django.contrib import admin

from zongzhi.cases.models import Case, DisputeType


@admin.register(DisputeType)
class DisputeTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status", "risk", "county", "created_at"]
    list_filter = ["status", "risk", "source"]
    search_fields = ["number", "title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
