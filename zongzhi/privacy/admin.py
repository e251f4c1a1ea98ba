from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from zongzhi.privacy.models import PersonalDataAccess


def _subject_model(entry: PersonalDataAccess):
    try:
        return apps.get_model(entry.subject_type)
    except (LookupError, ValueError):
        return None


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = [
        "accessed_at",
        "viewer",
        "subject_label",
        "subject_id",
        "kind",
        "field_labels",
        "purpose",
        "ip_address",
    ]
    list_filter = ["kind", "subject_type"]
    date_hierarchy = "accessed_at"
    fields = [
        "accessed_at",
        "viewer",
        "subject_label",
        "subject_id",
        "field_labels",
        "purpose",
        "place_path",
        "ip_address",
    ]
    readonly_fields = ["subject_label", "field_labels"]

    @admin.display(description="对象类型", ordering="subject_type")
    def subject_label(self, entry: PersonalDataAccess) -> str:
        model = _subject_model(entry)
        return str(model._meta.verbose_name) if model else entry.subject_type

    @admin.display(description="查看字段")
    def field_labels(self, entry: PersonalDataAccess) -> str:
        """The stored field names (name,phone,…) as their Chinese labels."""
        model = _subject_model(entry)
        labels = []
        for name in filter(None, entry.fields.split(",")):
            try:
                labels.append(str(model._meta.get_field(name).verbose_name) if model else name)
            except FieldDoesNotExist:
                labels.append(name)
        return "、".join(labels)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
