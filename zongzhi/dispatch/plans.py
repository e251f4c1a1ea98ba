"""一案一策: a key case's plan, as measures each with a responsible person and a date, tracked
like sub-tasks (a clock.Deadline each, met with a note; late when past its date).

The holding centre's leaders and the case's responsible people (一案三交 duties) edit the
plan; the person of a measure records it done.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zongzhi.accounts.models import DIRECTING_ROLES, Role, User
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case
from zongzhi.clock.calendar import end_of, local_date, start_of
from zongzhi.clock.tracking import meet_deadline, open_deadline
from zongzhi.dispatch import eligibility
from zongzhi.dispatch.key_cases import record_key_event
from zongzhi.dispatch.models.duties import Duty, KeyCase
from zongzhi.dispatch.models.plans import PlanItem

DEADLINE_KIND = "dispatch.plan_item"
PERSON_REFUSED = "所选责任人不能承担该纠纷的措施"


def may_edit_plan(case: Case, user: User) -> bool:
    """Whether `user` may add to `case`'s plan: the case is key, and the user is a leader of
    its holding centre (or an administrator who may work on it) or one of its responsible
    people (一案三交)."""
    from zongzhi.cases.selectors import may_work_on

    if not KeyCase.objects.filter(case_id=case.pk).exists():
        return False
    if Duty.objects.filter(case_id=case.pk, person_id=user.pk).exists():
        return True
    if user.role not in DIRECTING_ROLES or not may_work_on(user, case):
        return False
    return user.role == Role.ADMINISTRATOR or user.place_id == case.holding_place_id


def plan_people(case: Case) -> QuerySet[User]:
    """Who may be made responsible for a measure: the case's responsible people, whoever may
    be given the case (dispatch.eligibility), and the holding centre's own staff."""
    duty_people = Duty.objects.filter(case_id=case.pk).values("person_id")
    eligible = eligibility.assignable_people(case).values("pk")
    centre = Q(place_id=case.holding_place_id, is_active=True) & ~Q(role=Role.CITIZEN)
    return (
        User.objects.filter(Q(pk__in=duty_people) | Q(pk__in=eligible) | centre)
        .select_related("place")
        .order_by("place__path", "role", "username")
    )


def plan_of(case: Case) -> list[PlanItem]:
    """The plan's measures in the order they were set, with deadlines and people."""
    return list(
        PlanItem.objects.filter(case_id=case.pk)
        .select_related("deadline", "person", "person__place")
        .order_by("id")
    )


@transaction.atomic
def add_plan_item(
    case: Case,
    *,
    actor: User,
    measure: str,
    person: User | None,
    due_on: date | None,
    now: datetime | None = None,
) -> PlanItem:
    """Add a measure to a key case's plan, due at the end of `due_on`; the person is told."""
    now = now or timezone.now()
    if not may_edit_plan(case, actor):
        raise NotPermitted("只有承办中心领导和一案三交责任人可以制定一案一策")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能增加措施")
    measure = measure.strip()
    if not measure:
        raise InvalidInput("请填写措施内容", field="measure")
    if person is None or not plan_people(locked).filter(pk=person.pk).exists():
        raise InvalidInput(PERSON_REFUSED, field="person")
    if due_on is None:
        raise InvalidInput("请填写完成日期", field="due_on")
    if due_on < local_date(now):
        raise InvalidInput("完成日期不能早于今天", field="due_on")
    deadline = open_deadline(
        locked,
        kind=DEADLINE_KIND,
        label=f"一案一策：{measure}",
        due_at=end_of(due_on),
        warn_at=start_of(due_on),
        responsible_user=person,
        now=now,
    )
    item = PlanItem.objects.create(
        case=locked,
        measure=measure[:300],
        person=person,
        deadline=deadline,
        created_by=actor,
        created_at=now,
    )
    data = {"item": item.pk, "person": person.pk, "name": str(person), "due_on": str(due_on)}
    record_key_event(locked, "plan_item_added", actor=actor, now=now, note=measure, data=data)
    return item


@transaction.atomic
def complete_plan_item(
    case: Case, item_id: int, *, actor: User, note: str, now: datetime | None = None
) -> PlanItem:
    """Record a measure done, with a note (its person, or one who may edit the plan)."""
    now = now or timezone.now()
    locked = Case.objects.select_for_update().get(pk=case.pk)
    item = PlanItem.objects.select_related("deadline").filter(pk=item_id, case=locked).first()
    if item is None:
        raise InvalidInput("所选措施不存在", field="item")
    if item.person_id != actor.pk and not may_edit_plan(locked, actor):
        raise NotPermitted("只有措施责任人可以填写完成情况")
    if item.done_at is not None:
        raise InvalidTransition("该措施已完成")
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能填写完成情况")
    note = note.strip()
    if not note:
        raise InvalidInput("请填写完成情况", field="note")
    item.done_at, item.done_note = now, note
    item.save(update_fields=["done_at", "done_note"])
    meet_deadline(item.deadline, now)
    data = {"item": item.pk, "measure": item.measure}
    record_key_event(locked, "plan_item_done", actor=actor, now=now, note=note, data=data)
    return item
