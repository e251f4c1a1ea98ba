"""Who is told when a deadline nears or passes.

- Reminders (临期提醒) go to whoever must act: for a case milestone the active lead (主办: its
  person, else its unit's members), or while the case has no lead its holding centre's window
  clerks and leaders (the centre itself must accept and assign it); for a clock.Deadline its
  responsible person, else its responsible unit's members, else as for the case.
- Overdue alerts (超期告警) go to those and to the holding centre's leaders.
- An urgent case (deadlines.is_urgent) runs around the clock: when the office is closed
  (clock.office), both also go to whoever is on duty for the case's place (clock.roster).
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from zongzhi.accounts.models import Role, User
from zongzhi.cases import deadlines
from zongzhi.cases.models import Case, CaseAssignment
from zongzhi.clock.calendar import SHANGHAI, WorkingDayCalendar, last_day_of
from zongzhi.clock.models import Deadline
from zongzhi.clock.office import is_office_open
from zongzhi.clock.roster import on_duty

_remembered = threading.local()


@contextmanager
def remembering():
    """Within a sweep: read each holding centre's staff once, and the leads of the cases
    passed to remember_leads in one query per batch (people rarely change in a minute)."""
    _remembered.staff, _remembered.leads = {}, {}
    try:
        yield
    finally:
        del _remembered.staff, _remembered.leads


def remember_leads(case_ids: list[int]) -> None:
    """Read the leads of these cases at once (inside `remembering`; otherwise nothing)."""
    if getattr(_remembered, "leads", None) is None:
        return
    leads = CaseAssignment.objects.filter(
        case_id__in=case_ids, kind=CaseAssignment.Kind.LEAD, ended_at=None
    ).select_related("assignee")
    by_case = {case_id: [] for case_id in case_ids}
    units: dict[int, list[int]] = {}
    for lead in leads:
        if lead.assignee is not None and lead.assignee.is_active:
            by_case[lead.case_id] = [lead.assignee]
        elif lead.unit_id is not None:
            units.setdefault(lead.unit_id, []).append(lead.case_id)
    if units:
        members = User.objects.filter(unit_id__in=units, is_active=True).order_by("pk")
        for user in members:
            for case_id in units[user.unit_id]:
                by_case[case_id].append(user)
    _remembered.leads.update(by_case)


def lead_handlers(case: Case) -> list[User]:
    """The active lead's person, else its unit's active members ([] without a lead)."""
    remembered = getattr(_remembered, "leads", None)
    if remembered is not None and case.pk in remembered:
        return remembered[case.pk]
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


@dataclass
class CaseStaff:
    """The people around a case that alerts go to, read once per alert."""

    lead: list[User]  # the active lead's person, else its unit's members
    intake: list[User]  # the holding centre's window clerks and leaders
    leaders: list[User]  # the holding centre's leaders


def case_staff(case: Case) -> CaseStaff:
    lead = lead_handlers(case)
    intake = []
    remembered = getattr(_remembered, "staff", None)
    if remembered is not None and case.holding_place_id in remembered:
        intake = remembered[case.holding_place_id]
    elif case.holding_place_id is not None:
        roles = (Role.WINDOW_CLERK, Role.CENTRE_LEADER)
        intake = list(
            User.objects.filter(
                role__in=roles, place_id=case.holding_place_id, is_active=True
            ).order_by("pk")
        )
        if remembered is not None:
            remembered[case.holding_place_id] = intake
    leaders = [user for user in intake if user.role == Role.CENTRE_LEADER]
    return CaseStaff(lead=lead, intake=intake, leaders=leaders)


def holding_leaders(case: Case) -> list[User]:
    return case_staff(case).leaders


def responsible(case: Case, deadline: Deadline | None = None, staff: CaseStaff | None = None):
    """Who must act on `deadline` (or on the case's next milestone when None): see above."""
    if deadline is not None:
        if deadline.responsible_user_id is not None and deadline.responsible_user.is_active:
            return [deadline.responsible_user]
        if deadline.responsible_unit_id is not None:
            members = deadline.responsible_unit.members.filter(is_active=True).order_by("pk")
            if members:
                return list(members)
    staff = staff or case_staff(case)
    return staff.lead or staff.intake


def on_duty_now(case: Case, at: datetime, calendar: WorkingDayCalendar | None = None) -> list:
    """Whoever is on duty for the case's place when the case is urgent and the office is
    closed at `at`; [] otherwise."""
    if not deadlines.is_urgent(case):
        return []
    if is_office_open(at, calendar or WorkingDayCalendar(case.place)):
        return []
    return on_duty(case.place, at)


def _merge(*groups) -> dict[User, bool]:
    """Each user once, with whether told as the one on duty (duty groups come last)."""
    seen: dict[User, bool] = {}
    for users, duty in groups:
        for user in users:
            seen.setdefault(user, duty)
    return seen


def reminder_recipients(
    case: Case, at: datetime, deadline: Deadline | None = None, calendar=None
) -> dict[User, bool]:
    """Who is reminded of a deadline nearing at `at`, each with whether as the one on duty."""
    return _merge((responsible(case, deadline), False), (on_duty_now(case, at, calendar), True))


def overdue_recipients(
    case: Case, at: datetime, deadline: Deadline | None = None, calendar=None
) -> dict[User, bool]:
    """Who is told that a deadline passed at `at`: the responsible, the lead, the holding
    centre's leaders and, for an urgent case out of office hours, whoever is on duty."""
    staff = case_staff(case)
    groups = [(responsible(case, deadline, staff), False)]
    if deadline is not None:
        groups.append((staff.lead, False))
    groups += [(staff.leaders, False), (on_duty_now(case, at, calendar), True)]
    return _merge(*groups)


def due_text(due: datetime) -> str:
    """A due time for a message: the end of a day reads as that day's 24时."""
    local = due.astimezone(SHANGHAI)
    if local.hour == 0 and local.minute == 0:
        day = last_day_of(due)
        return f"{day.month}月{day.day}日24时"
    return f"{local.month}月{local.day}日{local:%H:%M}"
