"""Reads the staff pages need beyond cases.selectors: the to-do list, counts, select options.

Every case read starts from `Case.objects.visible_to(user)`; nothing here widens it.
"""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zongzhi.accounts.models import HANDLER_ROLES, Role, User
from zongzhi.cases.choices import Colour, Status
from zongzhi.cases.deadlines import colour_q, open_q
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import case_for_user, queue_page_queryset
from zongzhi.places.models import Level, Place

TODO_LIMIT = 20
INTAKE_STATUSES = (Status.REPORT, Status.ASSESS)


def todo_cases(user: User, *, now: datetime | None = None, limit: int = TODO_LIMIT) -> QuerySet:
    """ "待我办理": what usually needs this user's hand, cheaply (no per-case rule check).

    Handlers: open cases actively assigned to them or their unit. Window clerks: cases waiting
    to be accepted or assessed in their area. Leaders, administrators, analysts: red cases.
    """
    now = now or timezone.now()
    visible = Case.objects.visible_to(user).filter(open_q())
    if user.role in HANDLER_ROLES:
        mine = Q(assignments__assignee=user)
        if user.unit_id:
            mine |= Q(assignments__unit_id=user.unit_id)
        cases = visible.filter(mine, assignments__ended_at__isnull=True).distinct()
    elif user.role == Role.WINDOW_CLERK:
        cases = visible.filter(status__in=INTAKE_STATUSES)
    else:
        cases = visible.filter(colour_q(Colour.RED, now))
    return queue_page_queryset(cases, now=now).order_by("next_due_at", "-id")[:limit]


def status_counts(cases: QuerySet) -> list[tuple[str, str, int]]:
    """(status value, label, count) for every status, in workflow order, zeros included."""
    rows = cases.order_by().values("status").annotate(total=Count("id"))
    counted = {row["status"]: row["total"] for row in rows}
    return [(status.value, status.label, counted.get(status.value, 0)) for status in Status]


def filter_places(user: User) -> QuerySet:
    """Nodes a user may filter the queue by: their subtree, down to village level."""
    if user.place_id is None:
        return Place.objects.none()
    return Place.objects.under(user.place).filter(level__lte=Level.VILLAGE)


def registration_places(user: User) -> QuerySet:
    """Nodes a case can be registered at by this user: their subtree from county to grid."""
    if user.place_id is None:
        return Place.objects.none()
    return Place.objects.under(user.place).filter(level__gte=Level.COUNTY, level__lte=Level.GRID)


def case_or_404(user, pk: int) -> Case:
    """One case if `user` may work on it (cases.selectors.case_for_user), else a 404 with a
    Chinese message: the one way the case page and its forms load a case."""
    try:
        return case_for_user(user, pk)
    except Case.DoesNotExist:
        raise Http404("没有找到该纠纷，或它不在您的管辖范围内") from None
