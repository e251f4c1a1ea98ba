"""吹哨报到 ("中心吹哨、部门报到"): a centre calls departments on a case, each reports in (报到)
and later reports back (反馈) its result. Every change here locks the case row, checks, writes
and records its timeline event in one transaction.

- Who whistles: intake staff (window clerk, centre leader, administrator; moves.MOVING_ROLES)
  of the holding centre or a centre above it, on an open case they may work on.
- Whom: the active units (not a centre's own office) of the centres on the path from the top
  down to the case's place or to its holding centre, and units that serve the place through
  `Unit.serves` (dispatch.eligibility's covering rule); and the case's grid head in person.
- Each called unit gets a sub-task with two clock.Deadline rows: report in within natural
  hours (24 h, 2 h for an urgent case by default) and report back by a day (3 working days by
  default, through the one calendar). The unit's liaison is the responsible person.
- Who reports: any active member of the called unit, its liaison or its leader in charge (a
  grid head: that person only).
- A unit with a sub-task on a case, open or done, is on the case (register_involvement in
  DispatchConfig.ready).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zongzhi.accounts.models import Role, Unit, UnitKind, User
from zongzhi.cases.deadlines import is_urgent
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.services import actor_label, record_event
from zongzhi.clock.calendar import WorkingDayCalendar, add_natural_hours, end_of, last_day_of
from zongzhi.clock.tracking import DeadlineState, open_deadline, state_of
from zongzhi.dispatch.centres import is_centre
from zongzhi.dispatch.eligibility import units_covering_q
from zongzhi.dispatch.models.whistles import SubTask, UnitContacts
from zongzhi.dispatch.moves import MOVING_ROLES
from zongzhi.places.models import Level

# Intake staff of a centre whistle (the same people who move a case between centres).
WHISTLING_ROLES = MOVING_ROLES
REPORT_IN_HOURS = 24
REPORT_IN_HOURS_URGENT = 2
REPORT_IN_HOURS_MAX = 72
REPORT_BACK_WORKING_DAYS = 3
NOTE_MAX = 2000
REPORT_IN_KIND = "dispatch.report_in"
REPORT_BACK_KIND = "dispatch.report_back"
UNIT_REFUSED = "所选单位不能受理本纠纷的吹哨"
GRID_HEAD_REFUSED = "所选网格长不能受理本纠纷的吹哨"


# ---- who and whom ----------------------------------------------------------------------


def may_whistle(user: User, case: Case) -> bool:
    """Whether `user` may call departments on `case`: intake staff of the holding centre or a
    centre above it, on an open case they may work on."""
    from zongzhi.cases.selectors import may_work_on

    if not getattr(user, "is_authenticated", False) or not user.works_in_an_area:
        return False
    if user.role not in WHISTLING_ROLES or case.holding_place_id is None or not case.is_open:
        return False
    if not is_centre(user.place) or not case.holding_place.path.startswith(user.place.path):
        return False
    return may_work_on(user, case)


def callable_units(case: Case) -> QuerySet[Unit]:
    """The units that may be called on `case`, nearest centre first."""
    covering = units_covering_q(case.place_path)
    if case.holding_place_id is not None:
        covering |= units_covering_q(case.holding_place.path)
    return (
        Unit.objects.filter(is_active=True)
        .exclude(kind=UnitKind.CENTRE_OFFICE)
        .filter(covering)
        .select_related("place", "contacts", "contacts__liaison", "contacts__leader")
        .order_by("-place__level", "place__path", "kind", "name")
    )


def grid_heads(case: Case) -> QuerySet[User]:
    """The case's grid head(s): today the grid workers of the grid the case lies in (a
    grid-head role comes later); none when the case is not in a grid."""
    grid = case.place.ancestor_at(Level.GRID) if case.place.level >= Level.GRID else None
    if grid is None:
        return User.objects.none()
    return User.objects.filter(role=Role.GRID_WORKER, place=grid, is_active=True).order_by(
        "username"
    )


def contacts_of(unit: Unit) -> tuple[User | None, User | None]:
    """(liaison, leader in charge) of `unit`, each only while an active member of it."""
    contacts = UnitContacts.objects.select_related("liaison", "leader").filter(unit=unit).first()
    if contacts is None:
        return None, None

    def valid(person: User | None) -> User | None:
        ok = person is not None and person.is_active and person.unit_id == unit.pk
        return person if ok else None

    return valid(contacts.liaison), valid(contacts.leader)


def default_report_in_hours(case: Case) -> int:
    return REPORT_IN_HOURS_URGENT if is_urgent(case) else REPORT_IN_HOURS


def default_report_back_day(case: Case, now: datetime) -> date:
    """The day by which a department reports back: 3 working days after today."""
    due = WorkingDayCalendar(case.place).add_working_days(now, REPORT_BACK_WORKING_DAYS)
    return last_day_of(due)


def may_report(user: User, task: SubTask) -> bool:
    """Whether `user` may report in or back for `task`: a member of the called unit, its
    liaison or its leader in charge (a grid head: that person)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if task.unit_id is not None and user.unit_id == task.unit_id:
        return True
    return user.pk in (task.liaison_id, task.leader_id)


def involved_q(user: User, prefix: str = "") -> Q:
    """Sub-tasks of `user`'s unit, or naming `user` as liaison or leader."""
    mine = Q(**{f"{prefix}liaison_id": user.pk}) | Q(**{f"{prefix}leader_id": user.pk})
    if user.unit_id:
        mine |= Q(**{f"{prefix}unit_id": user.unit_id})
    return mine


def involved_case_ids(user) -> Iterable[int]:
    """Cases `user` is on through a sub-task (open or done): for cases.selectors."""
    if not getattr(user, "pk", None):
        return []
    rows = SubTask.objects.filter(involved_q(user)).order_by()
    return rows.values_list("case_id", flat=True).distinct()


# ---- changes ---------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    query = Case.objects.select_for_update(of=("self",)).select_related("holding_place", "place")
    return query.get(pk=case.pk)


def _text(value: str, *, required: str | None, field: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(required, field=field)
    if len(value) > NOTE_MAX:
        raise InvalidInput(f"内容不能超过{NOTE_MAX}字", field=field)
    return value


def _due_times(case: Case, now: datetime, hours: int | None, back_day: date | None):
    hours = default_report_in_hours(case) if hours is None else hours
    if not 1 <= hours <= REPORT_IN_HOURS_MAX:
        raise InvalidInput(f"报到时限应为1至{REPORT_IN_HOURS_MAX}小时", field="report_in_hours")
    report_in_due = add_natural_hours(now, hours)
    back_day = back_day or default_report_back_day(case, now)
    report_back_due = end_of(back_day)
    if report_back_due <= report_in_due:
        raise InvalidInput("反馈日期须晚于报到时限", field="report_back_by")
    calendar = WorkingDayCalendar(case.place)
    warn = calendar.start_of_last_working_days(report_back_due, 1)
    return report_in_due, report_back_due, max(warn, report_in_due)


@dataclass(frozen=True)
class Call:
    """One department (or grid head) to call, with the 多长联调 seat it fills, if any."""

    unit: Unit | None = None
    person: User | None = None
    seat: str = ""


def _check_calls(case: Case, calls: Sequence[Call]) -> list[Call]:
    if not calls:
        raise InvalidInput("请至少选择一个报到单位", field="units")
    allowed = set(callable_units(case).values_list("pk", flat=True))
    heads = set(grid_heads(case).values_list("pk", flat=True))
    checked: dict[tuple, Call] = {}
    for call in calls:
        if call.unit is not None:
            if call.unit.pk not in allowed:
                raise InvalidInput(UNIT_REFUSED, field="units")
            checked.setdefault(("unit", call.unit.pk), call)
        elif call.person is not None:
            if call.person.pk not in heads:
                raise InvalidInput(GRID_HEAD_REFUSED, field="grid_heads")
            checked.setdefault(("person", call.person.pk), call)
    open_tasks = case.sub_tasks.filter(reported_back_at__isnull=True)
    for call in checked.values():
        if call.unit is not None:
            taken = open_tasks.filter(unit=call.unit).exists()
            name = call.unit.name
        else:
            taken = open_tasks.filter(unit__isnull=True, liaison=call.person).exists()
            name = f"网格长{call.person}"
        if taken:
            raise InvalidTransition(
                f"{name}在本纠纷上已有未反馈的吹哨任务，不能重复吹哨", field="units"
            )
    return list(checked.values())


def _record(case: Case, kind: str, actor: User | None, now: datetime, note: str, data: dict):
    return record_event(
        case,
        kind,
        actor=actor,
        label=actor_label(actor),
        at=now,
        from_status=case.status,
        note=note,
        data=data,
        is_public=False,
    )


def task_data(task: SubTask) -> dict:
    return {
        "sub_task": task.pk,
        "unit": task.unit.name if task.unit_id else "",
        "liaison": task.liaison_id,
        "leader": task.leader_id,
        "called": task.called_name,
    }


@transaction.atomic
def whistle(
    case: Case,
    calls: Sequence[Call],
    *,
    actor: User,
    note: str,
    report_in_hours: int | None = None,
    report_back_by: date | None = None,
    now: datetime | None = None,
) -> tuple[list[SubTask], CaseEvent]:
    """Call departments (and the grid head) on `case` at once: a sub-task each, with its two
    deadlines and the unit's liaison as the responsible person; one timeline event, and the
    liaisons and leaders in charge are told. Returns the sub-tasks and the event."""
    now = now or timezone.now()
    locked = _locked(case)
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能吹哨")
    if not may_whistle(actor, locked):
        raise NotPermitted(f"{actor.role_label}不能在此纠纷上吹哨")
    note = _text(note, required="请填写吹哨事项（需要各单位做什么）", field="note")
    checked = _check_calls(locked, calls)
    report_in_due, report_back_due, back_warn = _due_times(
        locked, now, report_in_hours, report_back_by
    )
    tasks = []
    for call in checked:
        if call.unit is not None:
            liaison, leader = contacts_of(call.unit)
        else:
            liaison, leader = call.person, None
        name = call.unit.name if call.unit is not None else f"网格长{call.person}"
        common = {"responsible_user": liaison, "responsible_unit": call.unit, "now": now}
        task = SubTask(
            case=locked,
            unit=call.unit,
            liaison=liaison,
            leader=leader,
            seat=call.seat,
            note=note,
            whistled_by=actor,
            whistled_at=now,
            report_in=open_deadline(
                locked, kind=REPORT_IN_KIND, label=f"{name}报到", due_at=report_in_due, **common
            ),
            report_back=open_deadline(
                locked,
                kind=REPORT_BACK_KIND,
                label=f"{name}反馈",
                due_at=report_back_due,
                warn_at=back_warn,
                **common,
            ),
        )
        try:
            with transaction.atomic():
                task.save(force_insert=True)
        except IntegrityError:
            raise InvalidTransition(
                f"{name}在本纠纷上已有未反馈的吹哨任务，不能重复吹哨", field="units"
            ) from None
        tasks.append(task)
    data = {
        "sub_tasks": [task_data(t) for t in tasks],
        "report_in_due": report_in_due.isoformat(),
        "report_back_due": report_back_due.isoformat(),
    }
    event = _record(locked, "whistled", actor, now, note, data)
    return tasks, event


def _task_for_report(task: SubTask, actor: User) -> tuple[SubTask, Case]:
    # Every change to a sub-task locks its case first, so reading it after that is enough.
    locked_case = _locked(task.case)
    locked = SubTask.objects.select_related(
        "unit", "report_in", "report_back", "liaison", "leader"
    ).get(pk=task.pk)
    if not may_report(actor, locked):
        raise NotPermitted("只有被吹哨单位的人员可以报到或反馈")
    return locked, locked_case


@transaction.atomic
def report_in(
    task: SubTask, actor: User, note: str = "", *, now: datetime | None = None
) -> CaseEvent:
    """The called unit reports in (报到): meets the report-in deadline; one timeline event."""
    from zongzhi.clock.tracking import meet_deadline

    now = now or timezone.now()
    locked, case = _task_for_report(task, actor)
    if locked.reported_in_at is not None:
        raise InvalidTransition("本单位已报到")
    note = _text(note, required=None, field="note")
    locked.reported_in_at, locked.reported_in_by, locked.report_in_note = now, actor, note
    locked.save(update_fields=["reported_in_at", "reported_in_by", "report_in_note"])
    meet_deadline(locked.report_in, now)
    data = {**task_data(locked), "late": locked.report_in.due_at < now}
    return _record(case, "reported_in", actor, now, note, data)


@transaction.atomic
def report_back(
    task: SubTask, actor: User, result: str, *, now: datetime | None = None
) -> CaseEvent:
    """The called unit reports back (反馈) its result: meets the report-back deadline and ends
    the sub-task (the unit stays on the case); one timeline event."""
    from zongzhi.clock.tracking import meet_deadline

    now = now or timezone.now()
    locked, case = _task_for_report(task, actor)
    if locked.reported_back_at is not None:
        raise InvalidTransition("本单位已反馈")
    if locked.reported_in_at is None:
        raise InvalidTransition("请先报到，再反馈办理结果")
    result = _text(result, required="请填写反馈的办理结果", field="result")
    locked.reported_back_at, locked.reported_back_by, locked.result = now, actor, result
    locked.save(update_fields=["reported_back_at", "reported_back_by", "result"])
    meet_deadline(locked.report_back, now)
    data = {**task_data(locked), "late": locked.report_back.due_at < now}
    return _record(case, "reported_back", actor, now, result, data)


# ---- reads -----------------------------------------------------------------------------


LATE_STATES = (DeadlineState.LATE, DeadlineState.MET_LATE)


@dataclass
class RosterRow:
    task: SubTask
    report_in_state: DeadlineState
    report_back_state: DeadlineState

    @property
    def late_now(self) -> bool:
        """Late at this moment: a due time passed with nothing done."""
        return DeadlineState.LATE in (self.report_in_state, self.report_back_state)

    @property
    def report_back_day(self) -> date:
        """The last day to report back (its due time is that day's 24:00)."""
        return last_day_of(self.task.report_back.due_at)

    @property
    def report_in_late(self) -> bool:
        return self.report_in_state in LATE_STATES

    @property
    def report_back_late(self) -> bool:
        return self.report_back_state in LATE_STATES


def case_sub_tasks(case: Case) -> QuerySet[SubTask]:
    return case.sub_tasks.select_related(
        "unit", "unit__place", "liaison", "leader", "report_in", "report_back"
    ).order_by("whistled_at", "id")


def roster(case: Case, now: datetime | None = None) -> list[RosterRow]:
    """The case's sub-tasks with the state of both deadlines at `now` (late in red)."""
    now = now or timezone.now()
    return [
        RosterRow(t, state_of(t.report_in, now), state_of(t.report_back, now))
        for t in case_sub_tasks(case)
    ]


def open_tasks_for(user: User) -> QuerySet[SubTask]:
    """Open sub-tasks of `user`'s unit (or naming them), on cases they may see, due first."""
    if not getattr(user, "is_authenticated", False):
        return SubTask.objects.none()
    visible = Case.objects.visible_to(user).values("pk")
    return (
        SubTask.objects.filter(involved_q(user), reported_back_at__isnull=True)
        .filter(case_id__in=visible)
        .select_related("case", "unit", "report_in", "report_back", "liaison")
        .order_by("report_back__due_at", "id")
    )


HOME_LIMIT = 20


def home_sub_tasks(user: User, *, now: datetime) -> dict:
    """The department's own home: its open sub-tasks (the first HOME_LIMIT, soonest report-back
    first), each with both deadlines' states; late ones show red."""
    tasks = list(open_tasks_for(user)[: HOME_LIMIT + 1])
    rows = [RosterRow(t, state_of(t.report_in, now), state_of(t.report_back, now)) for t in tasks]
    return {"home_sub_tasks": rows[:HOME_LIMIT], "home_sub_tasks_more": len(rows) > HOME_LIMIT}
