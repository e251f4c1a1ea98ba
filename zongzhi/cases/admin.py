"""Admin for reference data. Cases themselves are shown read-only here: their changes go
through the workbench (cases.services), which writes the timeline."""

from django.contrib import admin

from zongzhi.cases.models import Case, DisputeType
from zongzhi.privacy.access import log_case_view
from zongzhi.privacy.masking import mask_free_text


@admin.register(DisputeType)
class DisputeTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "masked_title", "status", "risk", "county", "created_at"]
    list_filter = ["status", "risk", "source"]
    search_fields = ["number", "title"]
    date_hierarchy = "created_at"
    # The case's own words, with phone and ID numbers masked as on every other screen.
    readonly_fields = ["masked_title", "masked_description", "masked_location_text"]
    FREE_TEXT = ("title", "description", "location_text")

    @admin.display(description="事由")
    def masked_title(self, case: Case) -> str:
        return mask_free_text(case.title)

    @admin.display(description="纠纷详情")
    def masked_description(self, case: Case) -> str:
        return mask_free_text(case.description)

    @admin.display(description="发生地点")
    def masked_location_text(self, case: Case) -> str:
        return mask_free_text(case.location_text)

    def get_fields(self, request, obj=None):
        return [f for f in super().get_fields(request, obj) if f not in self.FREE_TEXT]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None:
            log_case_view(
                request.user, case, channel="管理后台", ip_address=request.META.get("REMOTE_ADDR")
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
