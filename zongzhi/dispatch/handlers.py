"""Lead (主办) and joint (协办) handlers of a case: who they are, and every change to them.

A case has at most one active lead (a unit, a person, or both), guaranteed by the database
(`assignment_one_active_lead`), and any number of joint handlers. Only the lead concludes
(`holds_case`, used by cases.services' rule check); a joint handler records its part
(`record_joint_part`). Leaders add or remove a joint handler and change the lead, each with a
reason on the timeline. Who may be given a case is decided by dispatch.eligibility alone.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zongzhi.accounts.models import DIRECTING_ROLES, Unit, User
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseAssignment, CaseEvent
from zongzhi.dispatch import eligibility

Kind = CaseAssignment.Kind
# Who may change a case's handlers once it is assigned (增减协办、更换主办).
MANAGING_ROLES = DIRECTING_ROLES
LEAD_TAKEN = "该纠纷已有主办，请使用“更换主办”"


def active_assignments(case: Case) -> QuerySet[CaseAssignment]:
    """The case's current handlers, the lead first."""
    return (
        case.assignments.filter(ended_at__isnull=True)
        .select_related("unit", "unit__place", "assignee", "assignee__place")
        .order_by("-kind", "assigned_at", "id")  # "lead" sorts after "joint"
    )


def _mine_q(user: User) -> Q:
    mine = Q(assignee_id=user.pk)
    if user.unit_id:
        mine |= Q(unit_id=user.unit_id)
    return mine


def holds_case(case: Case, user: User, *, lead_only: bool = False) -> bool:
    """Whether `user` or their unit is an active handler of `case` (the lead only, when
    `lead_only`: the right to conclude)."""
    active = case.assignments.filter(_mine_q(user), ended_at__isnull=True)
    if lead_only:
        active = active.filter(kind=Kind.LEAD)
    return active.exists()


def is_joint_handler(case: Case, user: User) -> bool:
    """Whether `user` or their unit is an active joint handler of `case`."""
    return case.assignments.filter(_mine_q(user), ended_at__isnull=True, kind=Kind.JOINT).exists()


def may_manage(case: Case, user: User) -> bool:
    """Whether `user` may add or remove joint handlers and change the lead of `case`."""
    from zongzhi.cases.selectors import may_take_steps

    return user.role in MANAGING_ROLES and may_take_steps(user, case)


def _check_unit(case: Case, unit: Unit | None) -> None:
    if unit is not None and not eligibility.may_take_unit(case, unit):
        raise InvalidInput(eligibility.UNIT_REFUSED, field="unit")


def _check_person(case: Case, person: User | None) -> None:
    if person is not None and not eligibility.may_take_person(case, person):
        raise InvalidInput(eligibility.ASSIGNEE_REFUSED, field="assignee")


def _create(case, kind, *, unit, person, actor, now) -> CaseAssignment:
    try:
        with transaction.atomic():  # a savepoint: the unique lead constraint may refuse
            return CaseAssignment.objects.create(
                case=case, kind=kind, unit=unit, assignee=person, assigned_by=actor, assigned_at=now
            )
    except IntegrityError:
        raise InvalidTransition(LEAD_TAKEN) from None


def _describe(assignment: CaseAssignment) -> dict:
    return {
        "assignment": assignment.pk,
        "kind": assignment.kind,
        "unit": str(assignment.unit or ""),
        "assignee": str(assignment.assignee or ""),
    }


def assign_handlers(
    case: Case,
    *,
    actor: User | None,
    unit: Unit | None,
    assignee: User | None,
    joint_units: Sequence[Unit] = (),
    joint_people: Sequence[User] = (),
    now: datetime,
) -> dict:
    """The handlers of a 交办: a lead (unit and/or person) and optional joint units and
    people, each checked by dispatch.eligibility. Called by cases.services.transition inside
    its transaction with the case locked; returns the details for its timeline event."""
    if unit is None and assignee is None:
        raise InvalidInput("请选择主办单位或主办人", field="unit")
    _check_unit(case, unit)
    _check_person(case, assignee)
    for joint_unit in joint_units:
        _check_unit(case, joint_unit)
        if unit is not None and joint_unit.pk == unit.pk:
            raise InvalidInput("协办单位不能与主办单位相同", field="joint_units")
    for person in joint_people:
        _check_person(case, person)
        if assignee is not None and person.pk == assignee.pk:
            raise InvalidInput("协办人不能与主办人相同", field="joint_people")
    lead = _create(case, Kind.LEAD, unit=unit, person=assignee, actor=actor, now=now)
    joints = [
        _create(case, Kind.JOINT, unit=u, person=None, actor=actor, now=now)
        for u in dict.fromkeys(joint_units)
    ] + [
        _create(case, Kind.JOINT, unit=None, person=p, actor=actor, now=now)
        for p in dict.fromkeys(joint_people)
    ]
    return {**_describe(lead), "joint": [_describe(j) for j in joints]}


def _locked_for_change(case: Case, actor: User, reason: str) -> tuple[Case, str]:
    if not may_manage(case, actor):
        raise NotPermitted(f"{actor.role_label}不能调整承办单位")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能调整承办单位")
    if not locked.assignments.filter(kind=Kind.LEAD, ended_at__isnull=True).exists():
        raise InvalidTransition("该纠纷尚未交办，请先交办")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写调整理由", field="reason")
    return locked, reason


def _event(case, kind, *, actor, now, note, data) -> CaseEvent:
    from zongzhi.cases.services import actor_label, record_event

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


@transaction.atomic
def add_joint(
    case: Case,
    *,
    actor: User,
    unit: Unit | None = None,
    person: User | None = None,
    reason: str,
    now: datetime | None = None,
) -> CaseEvent:
    """Add a joint handler (a unit, a person, or both) to an assigned, open case; returns
    the timeline event."""
    now = now or timezone.now()
    locked, reason = _locked_for_change(case, actor, reason)
    if unit is None and person is None:
        raise InvalidInput("请选择协办单位或协办人", field="unit")
    _check_unit(locked, unit)
    _check_person(locked, person)
    same = locked.assignments.filter(ended_at__isnull=True, unit=unit, assignee=person)
    if same.exists():
        raise InvalidInput("所选单位或人员已在承办此纠纷", field="unit")
    joint = _create(locked, Kind.JOINT, unit=unit, person=person, actor=actor, now=now)
    return _event(locked, "joint_added", actor=actor, now=now, note=reason, data=_describe(joint))


@transaction.atomic
def remove_joint(
    case: Case, assignment_id: int, *, actor: User, reason: str, now: datetime | None = None
) -> CaseEvent:
    """End one active joint handler of the case (its past part stays on the timeline);
    returns the timeline event."""
    now = now or timezone.now()
    locked, reason = _locked_for_change(case, actor, reason)
    joint = locked.assignments.filter(
        pk=assignment_id, kind=Kind.JOINT, ended_at__isnull=True
    ).first()
    if joint is None:
        raise InvalidInput("所选协办单位不存在或已移除", field="assignment")
    joint.ended_at = now
    joint.save(update_fields=["ended_at"])
    return _event(locked, "joint_removed", actor=actor, now=now, note=reason, data=_describe(joint))


@transaction.atomic
def change_lead(
    case: Case,
    *,
    actor: User,
    unit: Unit | None = None,
    person: User | None = None,
    reason: str,
    now: datetime | None = None,
) -> CaseEvent:
    """Give the lead to another unit and/or person; the previous lead's assignment ends.
    A joint assignment of the new lead (same unit and person) ends too. Returns the event."""
    now = now or timezone.now()
    locked, reason = _locked_for_change(case, actor, reason)
    if unit is None and person is None:
        raise InvalidInput("请选择主办单位或主办人", field="unit")
    _check_unit(locked, unit)
    _check_person(locked, person)
    active = locked.assignments.filter(ended_at__isnull=True)
    previous = active.get(kind=Kind.LEAD)
    if (previous.unit_id, previous.assignee_id) == (
        getattr(unit, "pk", None),
        getattr(person, "pk", None),
    ):
        raise InvalidInput("主办单位未改变", field="unit")
    active.filter(Q(pk=previous.pk) | Q(kind=Kind.JOINT, unit=unit, assignee=person)).update(
        ended_at=now
    )
    lead = _create(locked, Kind.LEAD, unit=unit, person=person, actor=actor, now=now)
    data = {**_describe(lead), "previous": _describe(previous)}
    return _event(locked, "lead_changed", actor=actor, now=now, note=reason, data=data)


@transaction.atomic
def record_joint_part(
    case: Case, actor: User, note: str, *, now: datetime | None = None
) -> CaseEvent:
    """A joint handler's part (协办意见) on the timeline; only an active joint handler of an
    open case may write one (the lead writes its work through the steps)."""
    now = now or timezone.now()
    from zongzhi.cases.selectors import may_work_on

    if not may_work_on(actor, case) or not is_joint_handler(case, actor):
        raise NotPermitted("只有协办单位或协办人可以填写协办意见")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能填写协办意见")
    note = note.strip()
    if not note:
        raise InvalidInput("协办意见不能为空", field="note")
    data = {"unit": str(actor.unit or ""), "assignee": str(actor)}
    return _event(locked, "joint_part", actor=actor, now=now, note=note, data=data)
