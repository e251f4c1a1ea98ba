"""Reads of pauses and extensions: a case's clock history, and the requests waiting for a
user's decision (the workbench home)."""

from itertools import chain

from django.db.models import Q

from zongzhi.accounts.models import Role, User
from zongzhi.cases.models import Case
from zongzhi.clock.models import ClockPause, Extension, RequestState


def history(case: Case) -> list[ClockPause | Extension]:
    """The case's pauses and extensions, oldest request first."""
    related = ("requested_by", "decided_by", "approver_place")
    rows = chain(
        case.clock_pauses.select_related(*related, "ended_by"),
        case.extensions.select_related(*related),
    )
    return sorted(rows, key=lambda r: (r.requested_at, r.pk))


def awaiting_decision(user: User, limit: int = 20) -> list[ClockPause | Extension]:
    """Pending requests `user` may decide: for a centre leader those addressed to their centre,
    for an administrator those on cases in their area; never their own."""
    if not user.works_in_an_area or user.role not in (Role.CENTRE_LEADER, Role.ADMINISTRATOR):
        return []
    visible = Case.objects.visible_to(user).values("pk")
    mine = Q(state=RequestState.PENDING, case__in=visible) & ~Q(requested_by=user)
    if user.role == Role.CENTRE_LEADER:
        mine &= Q(approver_place_id=user.place_id)
    related = ("case", "requested_by")
    rows = chain(
        ClockPause.objects.filter(mine).select_related(*related)[:limit],
        Extension.objects.filter(mine).select_related(*related)[:limit],
    )
    return sorted(rows, key=lambda r: (r.requested_at, r.pk))[:limit]
