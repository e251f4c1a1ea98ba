"""Reads of cases. Area scoping lives here and nowhere else: every view, API, export and
dashboard starts from `Case.objects.visible_to(user)`."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from zongzhi.accounts.models import Role
from zongzhi.cases.choices import Colour, RiskGrade, Source, Status
from zongzhi.cases.deadlines import colour_expression, colour_q, overdue_q
from zongzhi.places.models import Level, Place


def scope_cases(queryset: QuerySet, user) -> QuerySet:
    """Only the cases `user` may see: their area (their node and everything under it, and the
    subtrees of the places they cover, 包保: `AREA_EXTENSIONS`), plus
    the cases they, their unit or their team are on (see `on_cases_q`), wherever those are.

    A county node filters on the indexed county column (the common, hot case); any other
    node on the materialised path. Anonymous users and accounts without a node see nothing.
    Inside the area, `workable_cases` narrows what a department handler or mediator may
    work on (need-to-know).
    """
    return _scoped(queryset, user)[0]


def _scoped(queryset: QuerySet, user) -> tuple[QuerySet, list[str], Q]:
    """`scope_cases`, with the paths its area was extended by and the cases the user is on
    (read once, for `workable_cases` too)."""
    if not getattr(user, "is_authenticated", False) or not user.works_in_an_area:
        return queryset.none(), [], Q()
    area = _area_q(user.place)
    extra = extra_area_paths(user)
    for path in extra:
        area |= Q(place_path__under=path)
    on = on_cases_q(user)
    # Most accounts are on no case (leaders, clerks, analysts) and cover no place: their
    # query stays the plain indexed area filter.
    return queryset.filter(area | on if on else area), extra, on


def _area_q(node: Place) -> Q:
    if node.level == Level.COUNTY:
        return Q(county_id=node.pk)
    return Q(place_path__under=node.path)


def under_place(queryset: QuerySet, node: Place) -> QuerySet:
    """Cases at `node` or below it: the indexed county column for a county, else the path."""
    return queryset.filter(_area_q(node))


# Places beyond an account's own node whose subtrees join its area (a 包保 leader's covered
# places, dispatch.coverage): functions user -> paths, registered at start-up. An account
# with none keeps the plain indexed area filter.
AREA_EXTENSIONS: dict[str, Callable[[object], Iterable[str]]] = {}


def register_area_extension(name: str, paths: Callable[[object], Iterable[str]]) -> None:
    """Count the subtrees of the places at `paths(user)` as part of `user`'s area."""
    AREA_EXTENSIONS[name] = paths


def extra_area_paths(user) -> list[str]:
    """The registered extensions' paths for `user`, each once (none for most accounts)."""
    paths: set[str] = set()
    for extension in AREA_EXTENSIONS.values():
        paths.update(extension(user))
    return sorted(paths)


# Other ways of being on a case besides an assignment (a 吹哨 sub-task for one's unit, a
# 一案三交 duty, a joint team's membership): each is a function user -> case ids, registered
# by its app at start-up (AppConfig.ready) through `register_involvement`. They all feed the
# one scoping rule below, so that being on a case means the same thing everywhere.
INVOLVEMENTS: dict[str, Callable[[object], Iterable[int]]] = {}


def register_involvement(name: str, case_ids: Callable[[object], Iterable[int]]) -> None:
    """Count the cases `case_ids(user)` returns as cases `user` is on (see on_cases_q)."""
    INVOLVEMENTS[name] = case_ids


def on_cases_q(user) -> Q:
    """Cases `user`, their unit or their team are on: any assignment, active or past, lead
    or joint, and every registered involvement; an empty Q when there are none. (A move
    addressed to the user's unit is not counted here yet.) The ids are read first, so that
    the database can combine them with the area's index instead of running a subquery for
    every row."""
    from zongzhi.cases.models import CaseAssignment

    mine = Q(assignee_id=user.pk)
    if user.unit_id:
        mine |= Q(unit_id=user.unit_id)
    ids = set(CaseAssignment.objects.filter(mine).values_list("case_id", flat=True))
    for case_ids in INVOLVEMENTS.values():
        ids.update(case_ids(user))
    return Q(pk__in=sorted(ids)) if ids else Q()


# Roles that see in full only the cases they, their unit or team are on, or registered:
# other cases of their area stay out of their lists and answer 404 (need-to-know).
NEED_TO_KNOW_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.MEDIATOR})


def workable_cases(queryset: QuerySet, user) -> QuerySet:
    """The visible cases `user` may open in full, reveal, comment on, upload to and act on:
    all of `scope_cases` for leaders, clerks, analysts and grid workers; for department
    handlers and mediators only the cases they or their unit are on, that they registered, or
    that lie in the places they cover (包保).
    """
    visible, extra, on = _scoped(queryset, user)
    if getattr(user, "role", None) in NEED_TO_KNOW_ROLES:
        mine = Q(created_by_id=user.pk)
        # A 包保 leader supervises every case of the places they cover, whatever their role.
        for path in extra:
            mine |= Q(place_path__under=path)
        return visible.filter(on | mine if on else mine)
    return visible


def may_work_on(user, case) -> bool:
    """Whether `user` may work on `case` (the same rule as `workable_cases`, for one case)."""
    from zongzhi.cases.models import Case

    return workable_cases(Case.objects.filter(pk=case.pk), user).exists()


def may_take_steps(user, case) -> bool:
    """Whether `user` may direct `case` (take its steps, re-judge its risk, change its
    handlers), role rules apart: `may_work_on` through their area or an assignment of theirs
    or their unit's. A registered involvement alone (a joint team's membership ...) lets one
    see and work a case — notes, files, one's own part — never direct it."""
    from zongzhi.cases.models import CaseAssignment

    if not may_work_on(user, case):
        return False
    if user.can_see_path(case.place_path):
        return True
    mine = Q(assignee_id=user.pk)
    if user.unit_id:
        mine |= Q(unit_id=user.unit_id)
    return CaseAssignment.objects.filter(mine, case_id=case.pk).exists()


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
    """One case if `user` may work on it (`workable_cases`); raises Case.DoesNotExist
    otherwise (→ 404): the case page, its forms and files, the API's case endpoints."""
    from zongzhi.cases.models import Case

    return (
        Case.objects.workable_by(user)
        .select_related("dispute_type", "place", "county", "created_by")
        .get(pk=pk)
    )
