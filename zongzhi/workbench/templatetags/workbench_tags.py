"""Small display helpers for the staff pages: colour badges, status labels, time left."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from zongzhi.cases.choices import Colour, RiskGrade, Status
from zongzhi.cases.durations import due_label

register = template.Library()

COLOUR_BADGES = {
    Colour.RED.value: ("红", "badge-red"),
    Colour.YELLOW.value: ("黄", "badge-yellow"),
    Colour.GREEN.value: ("绿", "badge-green"),
    Colour.NORMAL.value: ("正常", "badge-normal"),
    Colour.REJECTED.value: ("不予受理", "badge-muted"),
}
MILESTONE_STATES = {
    "met": "按时完成",
    "late": "超时完成",
    "pending": "未开始计时",
    "open": "办理中",
    "due_soon": "临期",
    "overdue": "已超期",
    "stopped": "不予受理，不再计时",
    "paused": "已暂停计时",
}


@register.filter
def colour_badge(value) -> str:
    label, css = COLOUR_BADGES.get(str(value), ("—", "badge-normal"))
    title = _colour_title(value)
    return format_html('<span class="badge {}" title="{}">{}</span>', css, title, label)


def _colour_title(value) -> str:
    try:
        return Colour(str(value)).label
    except ValueError:
        return ""


@register.filter
def risk_badge(value) -> str:
    try:
        label = RiskGrade(str(value)).label
    except ValueError:
        return "—"
    return format_html('<span class="risk risk-{}">{}</span>', value, label)


@register.filter
def status_label(value) -> str:
    try:
        return Status(str(value)).label
    except ValueError:
        return str(value or "")


@register.filter
def milestone_state_label(state: str) -> str:
    return MILESTONE_STATES.get(state, state)


@register.filter
def due_hint(due: datetime | None) -> str:
    """ "已超期 2天5小时" or "剩余 5 小时" for a due time (cases.durations); empty when none."""
    return due_label(due, timezone.now())


@register.filter
def is_overdue(due: datetime | None) -> bool:
    return due is not None and due < timezone.now()
