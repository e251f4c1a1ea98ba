"""Extensions (延期) of a case's next 13715 milestone: asked with a number of working days and
a reason, decided by a superior (clock.approval), who may grant fewer days or refuse.

The rule:
- Only the next unmet milestone, and only one counted in working days (an urgent case's
  natural-hour accept and on-site milestones are not extended), and not once it is overdue
  (a paused case may ask: its due times are held).
- At most the milestone's own length (deadlines.MILESTONE_DAYS: 1, 3, 7, 15 working days).
- Once per milestone and round of handling: a pending or approved request blocks another
  (the unique constraint `extension_once_per_milestone`); after a refusal one may ask again.
  A reopened case counts a new round for its fresh milestones.
- Approving moves the milestone's due time by the days granted (calendar.shift_working_days).
  A later milestone keeps its due time unless it would now fall before the extended one; then
  it moves to the extended due time. So extending 见面 does not move the 15-day 办结 limit,
  and extending 化解 past 办结 moves 办结 with it. Every change raises Case.clock_version and
  is a 时限顺延 event.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zongzhi.accounts.models import User
from zongzhi.cases import deadlines
from zongzhi.cases.choices import Milestone
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case
from zongzhi.clock import approval
from zongzhi.clock.calendar import WorkingDayCalendar
from zongzhi.clock.models import OPEN_REQUEST_STATES, Extension, RequestState
from zongzhi.clock.requests import (
    apply_due_changes,
    clean_text,
    copy_clock,
    event,
    locked_case,
    save_clock,
)

ONCE = "该时限已申请过延期（每个时限只能延期一次）"


def max_days(milestone: Milestone) -> int:
    """The longest extension of `milestone`: its own length in working days."""
    return deadlines.MILESTONE_DAYS[Milestone(milestone)]


def extendable_milestone(case: Case, now: datetime) -> Milestone | None:
    """The milestone the case may ask to extend now, or None (see the module docstring)."""
    milestone = deadlines.next_milestone(case)
    if milestone is None or not deadlines.is_open(case) or case.reported_at is None:
        return None
    if deadlines.is_urgent(case) and milestone in deadlines.URGENT_MILESTONES:
        return None
    due = getattr(case, deadlines.DUE_FIELD[milestone])
    if due is None or (due < now and not deadlines.is_paused(case)):
        return None
    if case.extensions.filter(
        milestone=milestone, round=case.reopen_count, state__in=OPEN_REQUEST_STATES
    ).exists():
        return None
    return milestone


def _data(extension: Extension) -> dict:
    return {
        "extension": extension.pk,
        "milestone": extension.milestone,
        "days_requested": extension.days_requested,
        "days_granted": extension.days_granted,
        "approver_place": extension.approver_place_id,
        "requested_by": extension.requested_by_id,
    }


def _days(days, most: int) -> int:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= most:
        raise InvalidInput(f"延期天数应为1至{most}个工作日", field="days")
    return days


@transaction.atomic
def request_extension(
    case: Case, *, actor: User, days: int, reason: str, now: datetime | None = None
) -> Extension:
    """Ask to extend the case's next milestone by `days` working days; the approving
    centre's leaders are told. Raises and changes nothing when refused."""
    now = now or timezone.now()
    locked = locked_case(case)
    if not approval.may_request(actor, locked):
        raise NotPermitted("只有主办单位（主办人）或承办中心工作人员可以申请延期")
    milestone = deadlines.next_milestone(locked)
    if milestone is None or not deadlines.is_open(locked) or locked.reported_at is None:
        raise InvalidTransition("该纠纷没有可以延期的时限")
    if extendable_milestone(locked, now) is None:
        if locked.extensions.filter(
            milestone=milestone, round=locked.reopen_count, state__in=OPEN_REQUEST_STATES
        ).exists():
            raise InvalidTransition(ONCE)
        if deadlines.is_urgent(locked) and milestone in deadlines.URGENT_MILESTONES:
            raise InvalidTransition("紧急案件的受理、到场时限按自然时间计算，不能延期")
        raise InvalidTransition("该时限已超期，不能再申请延期")
    days = _days(days, max_days(milestone))
    reason = clean_text(reason, "延期理由", required=True)
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                case=locked,
                milestone=milestone,
                round=locked.reopen_count,
                days_requested=days,
                reason=reason,
                requested_by=actor,
                requested_at=now,
                approver_place=approval.approver_place(locked, actor),
                due_before=getattr(locked, deadlines.DUE_FIELD[milestone]),
            )
    except IntegrityError:  # a concurrent request won (extension_once_per_milestone)
        raise InvalidTransition(ONCE) from None
    extension.case = case  # the caller's instance follows the decision
    note = f"{milestone.label}时限申请延长{days}个工作日：{reason}"
    event(locked, "extension_requested", actor, now, note=note, data=_data(extension))
    return extension


def extended_due_times(
    case: Case, milestone: Milestone, days: int, calendar: WorkingDayCalendar
) -> dict[Milestone, datetime]:
    """The due times after extending `milestone` by `days` working days (module docstring)."""
    extended = calendar.shift_working_days(getattr(case, deadlines.DUE_FIELD[milestone]), days)
    changes = {milestone: extended}
    later = list(Milestone)[list(Milestone).index(milestone) + 1 :]
    for other in later:
        due = getattr(case, deadlines.DUE_FIELD[other])
        if deadlines.reached_at(case, other) is None and due is not None and due < extended:
            changes[other] = extended
    return changes


def _follow_in_running_pause(case: Case, changes: dict[Milestone, datetime]) -> None:
    """An extension approved while the clock is paused moves due times that the pause will
    move at its resume too: record the new ones as the pause's starting due times, so that
    the resume does not take them for due times set during the pause (clock.pauses)."""
    from zongzhi.clock.pauses import open_pause

    pause = open_pause(case) if deadlines.is_paused(case) else None
    if pause is None:
        return
    for milestone, due in changes.items():
        if milestone.value in pause.due_at_start:
            pause.due_at_start[milestone.value] = due.isoformat()
    pause.save(update_fields=["due_at_start"])


@transaction.atomic
def decide_extension(
    extension: Extension,
    *,
    actor: User,
    approve: bool,
    days: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Extension:
    """Approve (with the days asked, or fewer) or refuse an extension, with a note (required
    when refusing); the requester is told."""
    now = now or timezone.now()
    case = locked_case(extension.case)
    locked = Extension.objects.select_related("approver_place").get(pk=extension.pk)
    if not approval.may_decide(actor, case, locked.approver_place, locked.requested_by_id):
        raise NotPermitted("只有审批中心的主任或管理员可以审批，且不能审批本人的申请")
    if locked.state != RequestState.PENDING:
        raise InvalidTransition(f"该申请已{locked.get_state_display()}")
    milestone = Milestone(locked.milestone)
    note = clean_text(note, "审批意见", required=not approve, field="note")
    changes = {}
    if approve:
        granted = _days(locked.days_requested if days is None else days, locked.days_requested)
        if (
            not deadlines.is_open(case)
            or deadlines.reached_at(case, milestone) is not None
            or case.reopen_count != locked.round
        ):
            raise InvalidTransition(f"{milestone.label}时限已完成或已重新计算，无需延期")
        calendar = WorkingDayCalendar(case.place)
        changes = extended_due_times(case, milestone, granted, calendar)
        locked.days_granted = granted
        locked.due_before = getattr(case, deadlines.DUE_FIELD[milestone])
        locked.due_after = changes[milestone]
    locked.state = RequestState.APPROVED if approve else RequestState.REFUSED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, now, note
    locked.save()
    kind = "extension_approved" if approve else "extension_refused"
    event(case, kind, actor, now, note=note, data=_data(locked))
    if approve:
        why = f"{milestone.label}时限批准延长{locked.days_granted}个工作日"
        apply_due_changes(case, changes, actor=actor, at=now, why=why, data=_data(locked))
        _follow_in_running_pause(case, changes)
        save_clock(case, version=True)
        copy_clock(case, extension.case)
    extension.state = locked.state
    return locked
