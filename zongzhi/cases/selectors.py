"""Reads of cases. Area scoping lives here and nowhere else: every view, API, export and
dashboard starts from `Case.objects.visible_to(user)`."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from zongzhi.cases.choices import Colour, RiskGrade, Source, Status
from zongzhi.cases.deadlines import colour_expression, colour_q, overdue_q
from zongzhi.places.models import Level, Place


def scope_cases(queryset: QuerySet, user) -> QuerySet:
    """Only the cases in `user`'s area: their node and everything under it.

    A county node filters on the indexed county column (the common, hot case); any other
    node on the materialised path. Anonymous users and accounts without a node see nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.works_in_an_area:
        return queryset.none()
    return under_place(queryset, user.place)


def under_place(queryset: QuerySet, node: Place) -> QuerySet:
    """Cases at `node` or below it: the indexed county column for a county, else the path."""
    if node.level == Level.COUNTY:
        return queryset.filter(county_id=node.pk)
    return queryset.filter(place_path__under=node.path)


@dataclass
class QueueFilters:
    """The queue's filters, already parsed and validated (see workbench.forms.QueueFilterForm)."""

    status: Status | None = None
    colour: Colour | None = None
    dispute_type_id: int | None = None
    risk: RiskGrade | None = None
    source: Source | None = None
    place: Place | None = None
    created_from: date | None = None
    created_to: date | None = None
    overdue: bool = False
    search: str = ""
    assigned_to_me: bool = False
    # A centre tab of the user's own centre (dispatch.queues.CentreTab): held, to_sign, watched.
    centre: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_queue(queryset: QuerySet, filters: QueueFilters, *, user=None, now=None) -> QuerySet:
    """Apply the queue's filters to an already scoped queryset; all in the database."""
    now = now or timezone.now()
    qs = queryset
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.colour:
        qs = qs.filter(colour_q(filters.colour, now))
    if filters.overdue:
        qs = qs.filter(overdue_q(now))
    if filters.dispute_type_id:
        qs = qs.filter(dispute_type_id=filters.dispute_type_id)
    if filters.risk:
        qs = qs.filter(risk=filters.risk)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.place is not None:
        qs = under_place(qs, filters.place)
    if filters.created_from:
        qs = qs.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to:
        qs = qs.filter(created_at__lt=_day_start(filters.created_to) + timedelta(days=1))
    if filters.assigned_to_me and user is not None:
        mine = Q(assignments__assignee=user)
        if user.unit_id:
            mine |= Q(assignments__unit_id=user.unit_id)
        qs = qs.filter(mine, assignments__ended_at__isnull=True).distinct()
    if filters.centre and user is not None:
        from zongzhi.dispatch.queues import centre_queue

        qs = centre_queue(qs, filters.centre, user.place)
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(parties__name=term)
        ).distinct()
    return qs


def queue_page_queryset(queryset: QuerySet, *, now=None) -> QuerySet:
    """What the queue table shows per row (joined and annotated, newest first)."""
    now = now or timezone.now()
    return (
        queryset.select_related("dispute_type", "place")
        .annotate(colour_value=colour_expression(now))
        .order_by("-created_at", "-id")
    )


def colour_counts(queryset: QuerySet, *, now=None) -> dict[str, int]:
    """How many cases of each colour, counted by the database."""
    now = now or timezone.now()
    return {colour.value: queryset.filter(colour_q(colour, now)).count() for colour in Colour}


def case_for_user(user, pk: int):
    """One case if it is in `user`'s area; raises Case.DoesNotExist otherwise (→ 404)."""
    from zongzhi.cases.models import Case

    return (
        Case.objects.visible_to(user)
        .select_related("dispute_type", "place", "county", "created_by")
        .get(pk=pk)
    )
