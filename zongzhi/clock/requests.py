"""What pauses and extensions share: locking the case, checking a reason, moving due times
(the one place that writes a case's milestone due times for them, raises `clock_version` and
records the 时限顺延 event), and the timeline events of requests and decisions."""

from datetime import datetime

from zongzhi.accounts.models import User
from zongzhi.cases import deadlines
from zongzhi.cases.choices import Milestone
from zongzhi.cases.errors import InvalidInput
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.services import actor_label, record_event

MAX_TEXT = 2000


def locked_case(case: Case) -> Case:
    """The case row, locked until the end of the transaction, read anew."""
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def clean_text(text: str | None, what: str, *, required: bool, field: str = "reason") -> str:
    """A reason or a decision note, stripped; required ones must not be empty."""
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(f"{what}不能为空", field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{what}不能超过{MAX_TEXT}字", field=field)
    return text


def event(
    case: Case, kind: str, actor: User | None, at: datetime, *, note: str = "", data: dict
) -> CaseEvent:
    """A clock event on the case's timeline (internal: the citizen's timeline omits it)."""
    return record_event(
        case,
        kind,
        actor=actor,
        label=actor_label(actor),
        at=at,
        from_status=case.status,
        note=note,
        data=data,
        is_public=False,
    )


def local_label(moment: datetime | None) -> str:
    """A due time as people read it (clock.calendar.due_label)."""
    from zongzhi.clock.calendar import due_label

    return due_label(moment)


def apply_due_changes(
    case: Case,
    changes: dict[Milestone, datetime],
    *,
    actor: User | None,
    at: datetime,
    why: str,
    data: dict,
) -> CaseEvent | None:
    """Set the milestones' new due times on the locked `case`, refresh its clock, raise its
    clock_version and record the 时限顺延 event; nothing when nothing moves. The caller saves
    the case."""
    moved = {m: due for m, due in changes.items() if getattr(case, deadlines.DUE_FIELD[m]) != due}
    if not moved:
        return None
    lines, shifts = [], {}
    for milestone, due in moved.items():
        field = deadlines.DUE_FIELD[milestone]
        before = getattr(case, field)
        setattr(case, field, due)
        lines.append(f"{milestone.label}时限 {local_label(before)} → {local_label(due)}")
        shifts[milestone.value] = [before.isoformat() if before else None, due.isoformat()]
    return event(
        case,
        "clock_shifted",
        actor,
        at,
        note=f"{why}：" + "；".join(lines),
        data={**data, "shifts": shifts},
    )


def save_clock(case: Case, *, version: bool) -> None:
    """Refresh the clock (deadlines.refresh_clock) and save its fields;
    `version` raises clock_version (the due times moved: the sweep acts anew)."""
    deadlines.refresh_clock(case)
    fields = [*deadlines.DUE_FIELD.values(), *deadlines.CLOCK_FIELDS, "clock_paused_at"]
    if version:
        case.clock_version += 1
        fields.append("clock_version")
    case.save(update_fields=[*fields, "updated_at"])


def copy_clock(source: Case, target: Case) -> None:
    """Hand the caller's instance the new clock state."""
    for name in [*deadlines.DUE_FIELD.values(), *deadlines.CLOCK_FIELDS, "clock_paused_at"]:
        setattr(target, name, getattr(source, name))
    target.clock_version = source.clock_version
