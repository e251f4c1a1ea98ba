from django.contrib import admin

from zongzhi.clock.models import CalendarYear, SpecialDay


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
