"""Time left or overdue, in words people read: "剩余 5 小时", "已超期 2天5小时", "已超期 113天".

One helper for every page and the API's labels. Below a day a duration is counted in hours;
from a day on in days, with the hours kept while they still matter (under a week).
"""

from datetime import datetime, timedelta

from django.utils import timezone

# From this many days on the hours are dropped: "已超期 9天", not "已超期 9天5小时".
HOURS_SHOWN_BELOW_DAYS = 7


def span_label(span: timedelta) -> str:
    """A non-negative span as "不足 1 小时", "5 小时", "2天5小时", "2天" or "113天"."""
    hours = max(int(span.total_seconds() // 3600), 0)
    if hours < 1:
        return "不足 1 小时"
    if hours < 24:
        return f"{hours} 小时"
    days, rest = divmod(hours, 24)
    if rest and days < HOURS_SHOWN_BELOW_DAYS:
        return f"{days}天{rest}小时"
    return f"{days}天"


def due_label(due: datetime | None, now: datetime | None = None) -> str:
    """ "已超期 …" once `due` has passed, "剩余 …" before; empty when there is no due time."""
    if due is None:
        return ""
    now = now or timezone.now()
    if due < now:
        return f"已超期 {span_label(now - due)}"
    return f"剩余 {span_label(due - now)}"
