from django.contrib import admin

from zongzhi.clock.models import CalendarYear, DutyShift, SpecialDay


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "confirmed", "note", "updated_at"]
    list_editable = ["confirmed"]


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "place"]
    list_filter = ["kind", ("place", admin.EmptyFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["name"]
    raw_id_fields = ["place"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["centre", "person", "starts_at", "ends_at", "note"]
    list_filter = ["starts_at"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["centre", "person"]
