"""Who is told when a deadline nears or passes.

- Reminders (临期提醒) go to whoever must act: for a case milestone the active lead (主办: its
  person, else its unit's members), or while the case has no lead its holding centre's window
  clerks and leaders (the centre itself must accept and assign it); for a clock.Deadline its
  responsible person, else its responsible unit's members, else as for the case.
- Overdue alerts (超期告警) go to those and to the holding centre's leaders.
- An urgent case (deadlines.is_urgent) runs around the clock: when the office is closed
  (clock.office), both also go to whoever is on duty for the case's place (clock.roster).
"""

from datetime import datetime

from zongzhi.accounts.models import Role, User
from zongzhi.cases import deadlines
from zongzhi.cases.models import Case, CaseAssignment
from zongzhi.clock.calendar import SHANGHAI, WorkingDayCalendar, last_day_of
from zongzhi.clock.models import Deadline
from zongzhi.clock.office import is_office_open
from zongzhi.clock.roster import on_duty


def _active(users) -> list[User]:
    return [user for user in users if user.is_active]


def lead_handlers(case: Case) -> list[User]:
    """The active lead's person, else its unit's active members ([] without a lead)."""
    lead = (
        CaseAssignment.objects.filter(case=case, kind=CaseAssignment.Kind.LEAD, ended_at=None)
        .select_related("assignee", "unit")
        .first()
    )
    if lead is None:
        return []
    if lead.assignee is not None and lead.assignee.is_active:
        return [lead.assignee]
    if lead.unit is not None:
        return list(lead.unit.members.filter(is_active=True).order_by("pk"))
    return []


def holding_leaders(case: Case) -> list[User]:
    if case.holding_place_id is None:
        return []
    return list(
        User.objects.filter(
            role=Role.CENTRE_LEADER, place_id=case.holding_place_id, is_active=True
        ).order_by("pk")
    )


def holding_intake(case: Case) -> list[User]:
    """The holding centre's window clerks and leaders: who answers for a case not yet led."""
    if case.holding_place_id is None:
        return []
    roles = (Role.WINDOW_CLERK, Role.CENTRE_LEADER)
    return list(
        User.objects.filter(
            role__in=roles, place_id=case.holding_place_id, is_active=True
        ).order_by("pk")
    )


def responsible(case: Case, deadline: Deadline | None = None) -> list[User]:
    """Who must act on `deadline` (or on the case's next milestone when None)."""
    if deadline is not None:
        if deadline.responsible_user_id is not None:
            user = deadline.responsible_user
            if user.is_active:
                return [user]
        if deadline.responsible_unit_id is not None:
            members = deadline.responsible_unit.members.filter(is_active=True).order_by("pk")
            if members:
                return list(members)
    return lead_handlers(case) or holding_intake(case)


def on_duty_now(case: Case, at: datetime, calendar: WorkingDayCalendar | None = None) -> list:
    """Whoever is on duty for the case's place when the case is urgent and the office is
    closed at `at`; [] otherwise."""
    if not deadlines.is_urgent(case):
        return []
    if is_office_open(at, calendar or WorkingDayCalendar(case.place)):
        return []
    return on_duty(case.place, at)


def _merge(*groups) -> list[tuple[User, bool]]:
    """(user, told as the one on duty) pairs, each user once, duty last."""
    seen: dict[int, tuple[User, bool]] = {}
    for users, duty in groups:
        for user in users:
            seen.setdefault(user.pk, (user, duty))
    return list(seen.values())


def reminder_recipients(
    case: Case, at: datetime, deadline: Deadline | None = None, calendar=None
) -> list[tuple[User, bool]]:
    """Who is reminded of a deadline nearing at `at`, each with whether as the one on duty."""
    return _merge((responsible(case, deadline), False), (on_duty_now(case, at, calendar), True))


def overdue_recipients(
    case: Case, at: datetime, deadline: Deadline | None = None, calendar=None
) -> list[tuple[User, bool]]:
    """Who is told that a deadline passed at `at`: the responsible, the lead, the holding
    centre's leaders and, for an urgent case out of office hours, whoever is on duty."""
    groups = [(responsible(case, deadline), False)]
    if deadline is not None:
        groups.append((lead_handlers(case), False))
    groups += [(holding_leaders(case), False), (on_duty_now(case, at, calendar), True)]
    return _merge(*groups)


def due_text(due: datetime) -> str:
    """A due time for a message: the end of a day reads as that day's 24时."""
    local = due.astimezone(SHANGHAI)
    if local.hour == 0 and local.minute == 0:
        day = last_day_of(due)
        return f"{day.month}月{day.day}日24时"
    return f"{local.month}月{local.day}日{local:%H:%M}"
