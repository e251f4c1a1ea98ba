from django.contrib import admin

from zongzhi.clock.models import (
    CalendarYear,
    ClockPause,
    Deadline,
    DutyShift,
    EscalationRule,
    Extension,
    SpecialDay,
    SweepStep,
)


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


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "label", "due_at", "met_at", "cancelled_at", "version"]
    list_filter = ["kind"]
    date_hierarchy = "due_at"
    raw_id_fields = ["case", "responsible_user", "responsible_unit"]
    readonly_fields = ["version", "created_at", "next_sweep_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Pauses and extensions change only through clock.pauses / clock.extensions (which lock
    the case and write its timeline), sweep steps only through the sweep: the admin shows
    them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "milestone",
        "deadline_kind",
        "delay",
        "delay_unit",
        "action",
        "card_grade",
        "is_active",
    ]
    list_filter = ["is_active", "action", "milestone"]
    list_editable = ["is_active"]


@admin.register(SweepStep)
class SweepStepAdmin(ReadOnlyAdmin):
    """What the sweep did, read-only: the record that makes each step happen once."""

    list_display = ["taken_at", "case", "target", "version", "step", "outcome"]
    list_filter = ["step"]
    date_hierarchy = "taken_at"
    search_fields = ["case__number", "target"]
    raw_id_fields = ["case"]


@admin.register(ClockPause)
class ClockPauseAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "state",
        "requested_at",
        "started_at",
        "ended_at",
        "paused_working_days",
    ]
    list_filter = ["state"]
    date_hierarchy = "requested_at"
    raw_id_fields = ["case"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["case", "milestone", "state", "days_requested", "days_granted", "requested_at"]
    list_filter = ["state", "milestone"]
    date_hierarchy = "requested_at"
    raw_id_fields = ["case"]
