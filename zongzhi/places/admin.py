from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from zongzhi.places.models import Place
from zongzhi.places.naming import label_places


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


class PlaceLabelChangeList(ChangeList):
    """A change list that names each row's place by its path (places.naming), one query."""

    place_attr = "place"

    def get_results(self, request):
        super().get_results(request)
        self.result_list = label_places(self.result_list, None, self.place_attr)


class PlaceLabelMixin:
    """For admins of models with a `place`: a 所属 column that tells same-named places apart."""

    def get_changelist(self, request, **kwargs):
        return PlaceLabelChangeList

    @admin.display(description="所属地点", ordering="place__path")
    def place_path_label(self, obj) -> str:
        if not getattr(obj, "place_id", None):
            return "-"
        return getattr(obj, "place_label", None) or str(obj.place)
