"""Deadlines of things on a case (sub-tasks, cards, duties, plan items, visits): open one,
meet it, cancel it, and read whether it is late. The due time is computed by the caller with
the one calendar (zongzhi.clock.calendar: working days, natural hours or a legal period);
this module only keeps it, so that the escalation sweep finds every deadline in one table.
"""

from datetime import datetime
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from zongzhi.clock.models import Deadline


class DeadlineState(StrEnum):
    PENDING = "pending"  # not met, not yet due
    WARNING = "warning"  # not met, in its warning time (临期)
    LATE = "late"  # not met, past due (超期)
    MET = "met"  # met in time
    MET_LATE = "met_late"  # met after the due time
    CANCELLED = "cancelled"


STATE_LABELS = {
    DeadlineState.PENDING: "办理中",
    DeadlineState.WARNING: "临期",
    DeadlineState.LATE: "超期",
    DeadlineState.MET: "按时完成",
    DeadlineState.MET_LATE: "超期完成",
    DeadlineState.CANCELLED: "已撤销",
}


def open_deadline(
    case,
    *,
    kind: str,
    label: str,
    due_at: datetime,
    warn_at: datetime | None = None,
    responsible_user=None,
    responsible_unit=None,
    now: datetime | None = None,
) -> Deadline:
    """Start tracking a due time on `case`; call inside the transaction that creates the thing
    that has it, and keep the returned row on that thing."""
    if warn_at is not None and warn_at > due_at:
        raise ValueError("a deadline warns before it is due")
    return Deadline.objects.create(
        case=case,
        kind=kind,
        label=label[:120],
        due_at=due_at,
        warn_at=warn_at,
        next_sweep_at=warn_at or due_at,
        responsible_user=responsible_user,
        responsible_unit=responsible_unit,
        created_at=now or timezone.now(),
    )


def meet_deadline(deadline: Deadline, at: datetime | None = None) -> None:
    """Record that what was due has been done (first time only)."""
    if deadline.met_at is None and deadline.cancelled_at is None:
        deadline.met_at = at or timezone.now()
        deadline.next_sweep_at = None
        deadline.save(update_fields=["met_at", "next_sweep_at"])


def cancel_deadline(deadline: Deadline, at: datetime | None = None) -> None:
    """Stop tracking a deadline that no longer applies (its sub-task was withdrawn)."""
    if deadline.met_at is None and deadline.cancelled_at is None:
        deadline.cancelled_at = at or timezone.now()
        deadline.next_sweep_at = None
        deadline.save(update_fields=["cancelled_at", "next_sweep_at"])


def move_deadline(deadline: Deadline, due_at: datetime, warn_at: datetime | None = None) -> None:
    """Give a deadline a new due time (an extension, a pause): a new version for the sweep,
    which starts over from its warning (or due) time."""
    deadline.due_at = due_at
    deadline.warn_at = warn_at
    deadline.version += 1
    if deadline.met_at is None and deadline.cancelled_at is None:
        deadline.next_sweep_at = warn_at or due_at  # the sweep starts over on the new version
    deadline.save(update_fields=["due_at", "warn_at", "version", "next_sweep_at"])


def state_of(deadline: Deadline, now: datetime | None = None) -> DeadlineState:
    now = now or timezone.now()
    if deadline.cancelled_at is not None:
        return DeadlineState.CANCELLED
    if deadline.met_at is not None:
        return DeadlineState.MET if deadline.met_at <= deadline.due_at else DeadlineState.MET_LATE
    if deadline.due_at < now:
        return DeadlineState.LATE
    if deadline.warn_at is not None and deadline.warn_at <= now:
        return DeadlineState.WARNING
    return DeadlineState.PENDING


def is_late(deadline: Deadline, now: datetime | None = None) -> bool:
    """Late now, or met late."""
    return state_of(deadline, now) in (DeadlineState.LATE, DeadlineState.MET_LATE)


def pending_q(prefix: str = "") -> Q:
    """Not met and not cancelled; `prefix` is the path to the deadline ("report_in__")."""
    return Q(**{f"{prefix}met_at__isnull": True, f"{prefix}cancelled_at__isnull": True})


def late_q(now: datetime, prefix: str = "") -> Q:
    """Pending and past due, as a database filter."""
    return pending_q(prefix) & Q(**{f"{prefix}due_at__lt": now})
