"""一案三交: which cases are key (重点案件), handing a key case to its three responsible people
at once, and their duties.

The rule is one function, `key_reason`: high risk, at least ZONGZHI_KEY_CASE_PEOPLE people,
a confirmed risk signal (`confirm_risk_signal`, called by screening) or a leader's mark
(`mark_key`). `make_key` hands the case over once: the KeyCase row is unique per case, so a
repeat or a race inserts nothing. The three people come from the 包保 table
(dispatch.coverage.three_people); whoever is missing is named on the case. Each gets a duty
with a due time on a clock.Deadline row (working days by the calendar; natural hours for an
urgent case) and an in-app message (notify.events).
"""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zongzhi.accounts.models import DIRECTING_ROLES, User
from zongzhi.cases import deadlines
from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.clock.calendar import WorkingDayCalendar, add_natural_hours, local_date
from zongzhi.clock.tracking import meet_deadline, open_deadline
from zongzhi.dispatch import coverage
from zongzhi.dispatch.models.duties import Duty, DutyKind, DutyRole, KeyCase, KeyReason

DEADLINE_KIND = "dispatch.duty"


@dataclass(frozen=True)
class DutyRule:
    kind: DutyKind
    working_days: int  # an ordinary case: working days by the calendar
    urgent_hours: float  # an urgent (high-risk) case: natural hours around the clock


# What each of the three responsible people must do, and by when.
DUTY_RULES: dict[str, DutyRule] = {
    DutyRole.COUNTY_LEADER: DutyRule(DutyKind.ACT, 3, 24),
    DutyRole.PARTY_SECRETARY: DutyRule(DutyKind.VISIT, 1, 12),
    DutyRole.GOVERNMENT_HEAD: DutyRule(DutyKind.VISIT, 1, 12),
    DutyRole.POLITICAL_LEGAL: DutyRule(DutyKind.REPORT, 2, 24),
}


def key_reason(case: Case) -> KeyReason | None:
    """Whether `case` is key by its own fields (high risk, many people), and why."""
    if case.risk == RiskGrade.HIGH:
        return KeyReason.HIGH_RISK
    if case.people_count >= settings.ZONGZHI_KEY_CASE_PEOPLE:
        return KeyReason.MANY_PEOPLE
    return None


def is_key_case(case: Case) -> bool:
    """Whether `case` has been handed over as a key case."""
    return KeyCase.objects.filter(case_id=case.pk).exists()


def key_case_of(case: Case) -> KeyCase | None:
    return KeyCase.objects.filter(case_id=case.pk).select_related("township", "marked_by").first()


def check_case(case: Case, *, now: datetime) -> KeyCase | None:
    """Called where risk or people count change (registration, risk re-judged): hand the case
    over when the rule says it is key (the system does, not whoever changed the case). Costs
    nothing when it is not key."""
    reason = key_reason(case)
    if reason is None:
        return None
    return make_key(case, reason=reason, now=now)


def _due(case: Case, rule: DutyRule, now: datetime) -> tuple[datetime, datetime]:
    """The due and warning times of a duty on `case` handed over at `now`."""
    if deadlines.is_urgent(case):
        due = add_natural_hours(now, rule.urgent_hours)
        return due, due - timedelta(hours=rule.urgent_hours / 4)
    calendar = WorkingDayCalendar(case.place)
    due = calendar.add_working_days(now, rule.working_days)
    return due, calendar.start_of_last_working_days(due, 1)


def _actor_label(actor: User | None) -> str:
    from zongzhi.cases.services import actor_label

    return actor_label(actor)


def record_key_event(case: Case, kind: str, *, actor, now, note="", data=None) -> CaseEvent:
    """An internal timeline event of 一案三交 or 一案一策. It carries the step the case was in
    at `now`: a duty recorded for an earlier moment (an import, the demo's history) is placed
    there on the timeline, after which the case may have moved on."""
    from zongzhi.cases.services import record_event

    step = (
        case.events.filter(created_at__lte=now)
        .order_by("-created_at", "-id")
        .values_list("to_status", flat=True)
        .first()
    )
    at_the_time = copy.copy(case)
    at_the_time.status = step or case.status
    return record_event(
        at_the_time,
        kind,
        actor=actor,
        label=_actor_label(actor),
        at=now,
        from_status=at_the_time.status,
        note=note,
        data=data or {},
        is_public=False,
    )


@transaction.atomic
def make_key(
    case: Case,
    *,
    reason: KeyReason,
    actor: User | None = None,
    note: str = "",
    now: datetime | None = None,
) -> KeyCase | None:
    """Hand `case` over as a key case (一案三交): one KeyCase row, a duty with a deadline for
    each responsible person found, the missing ones named, a timeline event and messages.
    Returns None (and changes nothing) when the case is already key or has ended."""
    now = now or timezone.now()
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        return None
    people = coverage.three_people(locked.place, on=local_date(now))
    try:
        with transaction.atomic():  # a savepoint: the unique case refuses a second hand-over
            key = KeyCase.objects.create(
                case=locked,
                reason=reason,
                note=note,
                marked_by=actor if reason == KeyReason.LEADER else None,
                township=people.township,
                handed_at=now,
                missing=list(people.missing),
            )
    except IntegrityError:
        return None
    described = []
    for role, row in people.found.items():
        rule = DUTY_RULES[role]
        due, warn = _due(locked, rule, now)
        label = f"{DutyRole(role).label}{rule.kind.label}"
        deadline = open_deadline(
            locked,
            kind=DEADLINE_KIND,
            label=label,
            due_at=due,
            warn_at=warn,
            responsible_user=row.cadre,
            now=now,
        )
        duty = Duty.objects.create(
            key_case=key,
            case=locked,
            role=role,
            kind=rule.kind,
            person=row.cadre,
            title=row.title,
            deadline=deadline,
        )
        described.append(
            {"duty": duty.pk, "role": role, "person": row.cadre_id, "name": str(row.cadre)}
        )
    data = {"reason": reason.value, "duties": described, "missing": key.missing}
    record_key_event(locked, "key_case_handed", actor=actor, now=now, note=note, data=data)
    return key


def confirm_risk_signal(
    case: Case, *, signal: str, actor: User | None = None, now: datetime | None = None
) -> KeyCase | None:
    """The screening hook: a risk signal on `case` was confirmed (violence, revenge, extreme
    intent …), which makes it key. Returns the hand-over, or None when it was key already."""
    signal = signal.strip()
    if not signal:
        raise InvalidInput("请说明确认的风险信号", field="signal")
    return make_key(case, reason=KeyReason.RISK_SIGNAL, actor=actor, note=signal, now=now)


def may_mark(case: Case, user: User) -> bool:
    """Whether `user` may mark `case` as key: a centre leader or administrator who may work on
    it, or a 包保 leader covering its place."""
    from zongzhi.cases.selectors import may_work_on

    if not may_work_on(user, case):
        return False
    return user.role in DIRECTING_ROLES or coverage.covers(user, case.place)


def mark_key(case: Case, *, actor: User, note: str, now: datetime | None = None) -> KeyCase:
    """A leader marks `case` as key (with a reason): it is handed over at once."""
    if not may_mark(case, actor):
        raise NotPermitted(f"{actor.role_label}不能将纠纷列为重点案件")
    note = note.strip()
    if not note:
        raise InvalidInput("请填写列为重点案件的理由", field="note")
    if not case.is_open:
        raise InvalidTransition("已结案的纠纷不能列为重点案件")
    key = make_key(case, reason=KeyReason.LEADER, actor=actor, note=note, now=now)
    if key is None:
        raise InvalidTransition("该纠纷已列为重点案件")
    return key


def duties_of(case: Case) -> list[Duty]:
    """The case's duties, in the order of the hand-over, with their deadlines and people."""
    return list(
        Duty.objects.filter(case_id=case.pk)
        .select_related("deadline", "person", "person__place")
        .order_by("id")
    )


@transaction.atomic
def complete_duty(
    case: Case, duty_id: int, *, actor: User, note: str, now: datetime | None = None
) -> Duty:
    """The responsible person records what they did (a note), which meets their duty; a
    timeline event says so. Only the duty's own person, once; also after the case has
    closed (a report of what was done stays due until it is made)."""
    now = now or timezone.now()
    locked = Case.objects.select_for_update().get(pk=case.pk)
    duty = Duty.objects.select_related("deadline").filter(pk=duty_id, case=locked).first()
    if duty is None:
        raise InvalidInput("所选职责不存在", field="duty")
    if duty.person_id != actor.pk:
        raise NotPermitted("只有该职责的责任人可以填写履职情况")
    if duty.done_at is not None:
        raise InvalidTransition("该职责已履行")
    note = note.strip()
    if not note:
        raise InvalidInput("请填写履职情况", field="note")
    duty.done_at, duty.done_note = now, note
    duty.save(update_fields=["done_at", "done_note"])
    meet_deadline(duty.deadline, now)
    data = {"duty": duty.pk, "role": duty.role, "kind": duty.kind}
    record_key_event(locked, "key_duty_done", actor=actor, now=now, note=note, data=data)
    return duty


def involved_case_ids(user) -> list[int]:
    """The cases `user` is on through a duty or a plan item (one query), for the scoping rule."""
    from zongzhi.dispatch.models.plans import PlanItem

    if not getattr(user, "pk", None):
        return []
    duties = Duty.objects.filter(person_id=user.pk).order_by().values_list("case_id", flat=True)
    items = PlanItem.objects.filter(person_id=user.pk).order_by().values_list("case_id", flat=True)
    return list(duties.union(items).order_by())
