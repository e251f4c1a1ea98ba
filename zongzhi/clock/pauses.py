"""Pauses of a case's clock (停止计时): asked with a reason, decided by a superior, started
when approved, ended by resuming. Who may do what: clock.approval.

The rule of paused time:

- A pause runs from its approval to its resume. While it runs the case is neither red nor
  overdue (Case.clock_paused_at; deadlines.refresh_clock gives no next_due_at and no warn_at)
  and its unmet milestones read "已暂停计时".
- At the resume the pause is counted in working days of the one calendar (clock.calendar,
  调休 included): every working day on which any part of the pause fell counts, the day it
  started and the day it ended included. A pause within one working day counts one; a pause
  from Friday afternoon to Monday morning counts two; one that lies wholly in a weekend or a
  holiday counts none.
- Every unmet milestone whose due time was still ahead when the pause started moves that many
  working days later (clock.calendar.shift_working_days: 24:00 of a working day becomes
  24:00 of the Nth working day after it). An urgent case's milestones counted in natural
  hours (deadlines.URGENT_MILESTONES of a high-risk case) move by the pause's natural length
  instead. A due time already passed when the pause started stays: a pause cures no lateness.
  A due time set during the pause (the case was reopened or became urgent) was set knowing
  of it and stays as set; one moved by an extension approved during the pause still moves
  (the extension updates the pause's record of the due times at its start).
- The case's other deadlines (clock.models.Deadline: sub-task report-ins, card replies,
  duties) that were pending and still ahead when the pause started move the same way: a due
  time at 00:00 (a working-day deadline) by the paused working days, any other by the natural
  length; legal periods (kinds in LEGAL_KINDS) run on, as the law sets them. Each moved row
  gets a new version (tracking.move_deadline).
- Resuming records the 恢复计时 event and, when anything moved, a 时限顺延 event with the old
  and new due times; each change raises Case.clock_version (starting the pause too).
- A case is closed, rejected or reopened only after its pause has ended (cases.services).
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from zongzhi.accounts.models import User
from zongzhi.cases import deadlines
from zongzhi.cases.choices import Milestone
from zongzhi.cases.errors import InvalidTransition, NotPermitted
from zongzhi.cases.models import Case
from zongzhi.clock import approval, tracking
from zongzhi.clock.calendar import WorkingDayCalendar, last_day_of, local_date
from zongzhi.clock.models import ClockPause, Deadline, RequestState
from zongzhi.clock.requests import (
    apply_due_changes,
    clean_text,
    copy_clock,
    event,
    locked_case,
    save_clock,
)

# Deadline kinds set by law (e.g. 30 days to apply for judicial confirmation): a pause of the
# centre's own clock does not move them. Apps add theirs with `keep_through_pauses`.
LEGAL_KINDS: set[str] = set()


def keep_through_pauses(kind: str) -> None:
    """Declare a Deadline kind a legal period that pauses leave where it is."""
    LEGAL_KINDS.add(kind)


def open_pause(case: Case) -> ClockPause | None:
    """The case's pause that is asked or running, if any (at most one: a constraint)."""
    return (
        case.clock_pauses.filter(
            state__in=(RequestState.PENDING, RequestState.APPROVED), ended_at__isnull=True
        )
        .select_related("requested_by", "approver_place")
        .first()
    )


def paused_working_days(start: datetime, end: datetime, calendar: WorkingDayCalendar) -> int:
    """Working days on which any part of [start, end) fell (see the module docstring)."""
    if end <= start:
        return 0
    return calendar.working_days_between(local_date(start), last_day_of(end))


def _data(pause: ClockPause) -> dict:
    return {
        "pause": pause.pk,
        "approver_place": pause.approver_place_id,
        "requested_by": pause.requested_by_id,
    }


@transaction.atomic
def request_pause(
    case: Case, *, actor: User, reason: str, now: datetime | None = None
) -> ClockPause:
    """Ask to stop the clock of an open case (waiting for an appraisal, a party in
    hospital …); the approving centre's leaders are told. Raises NotPermitted,
    InvalidTransition or InvalidInput and changes nothing when refused."""
    now = now or timezone.now()
    locked = locked_case(case)
    if not approval.may_request(actor, locked):
        raise NotPermitted("只有主办单位（主办人）或承办中心工作人员可以申请停止计时")
    if not deadlines.is_open(locked) or deadlines.next_milestone(locked) is None:
        raise InvalidTransition("该纠纷已办结，无需停止计时")
    if locked.reported_at is None:
        raise InvalidTransition("该纠纷尚未上报，尚未开始计时")
    reason = clean_text(reason, "停止计时理由", required=True)
    if open_pause(locked) is not None:
        raise InvalidTransition("该纠纷已有待审批或正在进行的停止计时")
    try:
        with transaction.atomic():
            pause = ClockPause.objects.create(
                case=locked,
                reason=reason,
                requested_by=actor,
                requested_at=now,
                approver_place=approval.approver_place(locked, actor),
            )
    except IntegrityError:  # a concurrent request won (clockpause_one_open_per_case)
        raise InvalidTransition("该纠纷已有待审批或正在进行的停止计时") from None
    pause.case = case  # the caller's instance follows the decision
    event(locked, "pause_requested", actor, now, note=reason, data=_data(pause))
    return pause


def _locked_pause(pause: ClockPause) -> tuple[Case, ClockPause]:
    case = locked_case(pause.case)
    locked = ClockPause.objects.select_related("approver_place").get(pk=pause.pk)
    return case, locked


def _snapshot(case: Case) -> dict[str, str]:
    return {
        m.value: getattr(case, deadlines.DUE_FIELD[m]).isoformat()
        for m in Milestone
        if deadlines.reached_at(case, m) is None and getattr(case, deadlines.DUE_FIELD[m])
    }


@transaction.atomic
def decide_pause(
    pause: ClockPause, *, actor: User, approve: bool, note: str = "", now: datetime | None = None
) -> ClockPause:
    """Approve (the pause starts now) or refuse a requested pause, with a note (required
    when refusing); the requester is told."""
    now = now or timezone.now()
    case, locked = _locked_pause(pause)
    if not approval.may_decide(actor, case, locked.approver_place, locked.requested_by_id):
        raise NotPermitted("只有审批中心的主任或管理员可以审批，且不能审批本人的申请")
    if locked.state != RequestState.PENDING:
        raise InvalidTransition(f"该申请已{locked.get_state_display()}")
    note = clean_text(note, "审批意见", required=not approve, field="note")
    if approve and not deadlines.is_open(case):
        raise InvalidTransition("该纠纷已办结，无需停止计时")
    locked.state = RequestState.APPROVED if approve else RequestState.REFUSED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, now, note
    if approve:
        locked.started_at = now
        locked.due_at_start = _snapshot(case)
    locked.save()
    kind = "pause_approved" if approve else "pause_refused"
    event(case, kind, actor, now, note=note, data=_data(locked))
    if approve:
        case.clock_paused_at = now
        save_clock(case, version=True)
        event(case, "clock_paused", actor, now, note=locked.reason, data=_data(locked))
        copy_clock(case, pause.case)
    pause.state = locked.state
    return locked


def _natural(case: Case, milestone: Milestone) -> bool:
    return deadlines.is_urgent(case) and milestone in deadlines.URGENT_MILESTONES


def shifted_due_times(
    case: Case, pause: ClockPause, end: datetime, calendar: WorkingDayCalendar
) -> dict[Milestone, datetime]:
    """The milestones' due times after `pause` ends at `end` (the module docstring's rule)."""
    start = pause.started_at
    days = paused_working_days(start, end, calendar)
    changes = {}
    for milestone in Milestone:
        due = getattr(case, deadlines.DUE_FIELD[milestone])
        if due is None or deadlines.reached_at(case, milestone) is not None or due <= start:
            continue
        at_start = pause.due_at_start.get(milestone.value)
        if at_start is None or datetime.fromisoformat(at_start) != due:
            continue  # set during the pause
        if _natural(case, milestone):
            changes[milestone] = due + (end - start)
        else:
            changes[milestone] = calendar.shift_working_days(due, days)
    return changes


def shift_deadlines(
    case: Case, start: datetime, end: datetime, calendar: WorkingDayCalendar
) -> int:
    """Move the case's pending Deadline rows that were ahead at `start` (see the module
    docstring); returns how many moved."""
    days = paused_working_days(start, end, calendar)
    rows = Deadline.objects.filter(
        tracking.pending_q(), case=case, due_at__gt=start, created_at__lte=start
    ).exclude(kind__in=LEGAL_KINDS)
    moved = 0
    for row in rows.select_for_update():
        if timezone.localtime(row.due_at).time().isoformat() == "00:00:00":
            due = calendar.shift_working_days(row.due_at, days)
            warn = row.warn_at and calendar.shift_working_days(row.warn_at, days, day_end=False)
        else:
            due = row.due_at + (end - start)
            warn = row.warn_at and row.warn_at + (end - start)
        if due != row.due_at:
            tracking.move_deadline(row, due, warn)
            moved += 1
    return moved


@transaction.atomic
def resume(case: Case, *, actor: User, note: str = "", now: datetime | None = None) -> ClockPause:
    """End the case's running pause: the unmet due times (and the case's other deadlines)
    move by the paused time, the clock runs again."""
    now = now or timezone.now()
    locked = locked_case(case)
    pause = open_pause(locked)
    if pause is None or pause.state != RequestState.APPROVED:
        raise InvalidTransition("该纠纷没有正在进行的停止计时")
    if not approval.may_resume(actor, locked, pause.approver_place):
        raise NotPermitted("只有主办方、承办中心工作人员或审批人可以恢复计时")
    note = clean_text(note, "恢复计时说明", required=False, field="note")
    calendar = WorkingDayCalendar(locked.place)
    days = paused_working_days(pause.started_at, now, calendar)
    changes = shifted_due_times(locked, pause, now, calendar)
    moved_rows = shift_deadlines(locked, pause.started_at, now, calendar)
    pause.ended_at, pause.ended_by = now, actor
    pause.paused_working_days = days
    pause.paused_seconds = int((now - pause.started_at) / timedelta(seconds=1))
    pause.save(update_fields=["ended_at", "ended_by", "paused_working_days", "paused_seconds"])
    data = _data(pause) | {"paused_working_days": days, "deadlines_moved": moved_rows}
    event(locked, "clock_resumed", actor, now, note=note, data=data)
    why = f"停止计时{days}个工作日，时限相应顺延"
    apply_due_changes(locked, changes, actor=actor, at=now, why=why, data=_data(pause))
    locked.clock_paused_at = None
    save_clock(locked, version=True)
    copy_clock(locked, case)
    return pause
