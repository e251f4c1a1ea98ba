from django.contrib import admin

from zongzhi.places.models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a node would leave its descendants' paths stale.
        return [*self.readonly_fields, "parent"] if obj else self.readonly_fields
