"""The workbench home's part of the clock: the pause and extension requests that wait for
this user's decision (clock/_home_requests.html)."""

from datetime import datetime

from django.db.models import QuerySet

from zongzhi.clock.selectors import awaiting_decision


def clock_home(user, visible: QuerySet, *, now: datetime) -> dict:
    """Context for clock/_home_requests.html."""
    return {"clock_awaiting": awaiting_decision(user)}
