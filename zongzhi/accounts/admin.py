from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zongzhi.accounts.models import Unit, User
from zongzhi.places.admin import PlaceLabelMixin


@admin.register(User)
class UserAdmin(PlaceLabelMixin, BaseUserAdmin):
    list_display = ["username", "display_name", "role", "place_path_label", "unit", "is_active"]
    list_select_related = ["place", "unit"]
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
class UnitAdmin(PlaceLabelMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "department", "place_path_label", "is_active"]
    list_select_related = ["place"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "department"]
    raw_id_fields = ["place"]
    # 服务区域: places the unit serves beyond its centre (dispatch.eligibility counts them).
    filter_horizontal = ["serves"]
    fields = ["name", "kind", "department", "place", "serves", "is_active"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "serves":
            field.help_text = (
                "本单位负责的地点（如人民法庭覆盖的几个乡镇）。填写后按所列地点交办，"
                "所在中心辖区如也负责须一并列出；留空表示只负责所在中心辖区"
            )
        return field
