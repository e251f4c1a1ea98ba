"""Cross-area joint teams (跨区域 "一案一专班"): the rules and every change to a team.

- **Who forms and manages a team**: the centre leaders (and administrators) of the case's
  holding centre or of a centre above it (`may_manage_team`). The team's leader (组长) may
  also update the plan.
- **Who may join**: an active staff account of a township, county or higher centre or unit
  (not a village's or grid's) whose node lies under the superior of the manager's own node
  (a township leader brings in people of the neighbouring townships and of the county's
  units; a county leader those of the other counties of the city): `candidates`.
  Each member represents a side — their unit, or their place when they have none — taken
  when they join.
- **What makes it cross-area**: a team has a leader and at least one member whose side lies
  outside the case's township (another township or county, or a unit above the township).
- **What a member gains**: the case, through the involvement `team_case_ids` registered in
  DispatchConfig.ready (cases.selectors: visible_to / workable_by / may_work_on), and with it
  what working on a case means for a joint handler: notes, files, clear data through the
  logged reveal, and their side's part (`record_team_part`). Nothing else: not the other
  cases of the case's place nor of the team leader, and not the case's steps or its handlers
  (cases.selectors.may_take_steps: an involvement never directs a case).
- **A removed member** keeps the case in view, as a past joint handler does (their notes
  stay on the timeline and they can be asked about them), but no longer reports a part, is
  no longer listed on the home page and gets no more messages.

Every change locks the case row, writes its timeline event (internal) and the messages it
causes (notify.events) in one transaction.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case as Case_
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone

from zongzhi.accounts.models import DIRECTING_ROLES, Role, User
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.clock import tracking
from zongzhi.clock.calendar import WorkingDayCalendar
from zongzhi.dispatch.models.teams import CaseTeam, TeamMember, TeamRole
from zongzhi.dispatch.routing_services import holding_centre
from zongzhi.places.models import Level, Place

DEADLINE_KIND = "dispatch.team_target"
MAX_TARGET_DAYS = 120
MEMBER_ROLES = (TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.LIAISON)
NOT_A_CANDIDATE = "所选人员不能加入该专班"
NOT_CROSS_AREA = "专班须有来自其他乡镇（街道）、县（市、区）或上级单位的成员"


def team_of(case: Case) -> CaseTeam | None:
    """The case's team, or None."""
    return CaseTeam.objects.filter(case_id=case.pk).select_related("target").first()


def active_members(team: CaseTeam) -> QuerySet[TeamMember]:
    """The team's current members, the leader first."""
    rank = Case_(
        *[When(role=role, then=Value(n)) for n, role in enumerate(TeamRole)],
        output_field=IntegerField(),
    )
    return (
        team.members.filter(removed_at__isnull=True)
        .select_related("user", "side_place", "side_unit")
        .annotate(rank=rank)
        .order_by("rank", "added_at", "id")
    )


def team_case_ids(user) -> list[int]:
    """The involvement registered with cases.selectors: the cases of every team `user` is or
    was a member of (a removed member keeps the case in view, as a past joint handler does)."""
    if not getattr(user, "pk", None):
        return []
    rows = TeamMember.objects.filter(user_id=user.pk).order_by()
    return list(rows.values_list("team__case_id", flat=True))


def is_active_member(case: Case, user) -> bool:
    """Whether `user` is a current member of the case's team."""
    return TeamMember.objects.filter(
        team__case_id=case.pk, user_id=user.pk, removed_at__isnull=True
    ).exists()


def may_manage_team(user, case: Case) -> bool:
    """Whether `user` may form the case's team, add and remove members and change the plan:
    a centre leader or administrator of the holding centre or of a centre above it."""
    if not getattr(user, "works_in_an_area", False) or user.role not in DIRECTING_ROLES:
        return False
    return holding_centre(case).path.startswith(user.place.path)


def may_edit_plan(user, case: Case) -> bool:
    """Managers, and the team's current leader (组长)."""
    if may_manage_team(user, case):
        return True
    return TeamMember.objects.filter(
        team__case_id=case.pk, user_id=user.pk, role=TeamRole.LEADER, removed_at__isnull=True
    ).exists()


def candidate_area(actor: User) -> Place:
    """Where a manager may draw members from: the superior of their own node (the node itself
    at the top)."""
    return actor.place.parent or actor.place


def candidates(case: Case, actor: User) -> QuerySet[User]:
    """The staff accounts `actor` may bring into the case's team: townships' and higher
    centres' and units' people (current members excluded)."""
    area = candidate_area(actor)
    members = TeamMember.objects.filter(team__case_id=case.pk, removed_at__isnull=True)
    return (
        User.objects.filter(
            is_active=True, place__path__under=area.path, place__level__lte=Level.TOWNSHIP
        )
        .exclude(role=Role.CITIZEN)
        .exclude(pk__in=members.values("user_id"))
        .select_related("place", "unit", "unit__place")
        .order_by("place__path", "role", "username")
    )


def side_of(user: User) -> tuple[Place, object]:
    """The side a member represents: (place, unit) — the unit's place when they have a unit."""
    if user.unit_id:
        return user.unit.place, user.unit
    return user.place, None


def _case_area(case: Case) -> Place:
    """The case's own area for the cross-area rule: its township (its place when higher)."""
    return case.place.ancestor_at(Level.TOWNSHIP) or case.place


def is_cross_area(case: Case, sides: Sequence[Place]) -> bool:
    """Whether some side lies outside the case's township (or its place, when higher)."""
    area = _case_area(case)
    return any(not side.path.startswith(area.path) for side in sides)


def _check_candidate(case: Case, actor: User, user: User | None) -> User:
    if user is None or not candidates(case, actor).filter(pk=user.pk).exists():
        raise InvalidInput(NOT_A_CANDIDATE, field="user")
    return user


def _target_due(case: Case, days: int | None, now: datetime) -> tuple[datetime, datetime] | None:
    if days is None:
        return None
    if not 1 <= days <= MAX_TARGET_DAYS:
        raise InvalidInput(f"目标时限须为1至{MAX_TARGET_DAYS}个工作日", field="target_days")
    calendar = WorkingDayCalendar(case.place)
    due = calendar.add_working_days(now, days)
    return due, calendar.start_of_last_working_days(due, 1)


def _locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能调整专班")
    return locked


def _member_data(member: TeamMember) -> dict:
    return {
        "member": member.pk,
        "user": member.user.username,
        "name": member.user.display_name or member.user.username,
        "role": member.role,
        "side": str(member.side_unit or member.side_place),
    }


def _event(case: Case, kind: str, *, actor: User, now: datetime, note="", data=None):
    from zongzhi.cases.services import actor_label, record_event

    return record_event(
        case,
        kind,
        actor=actor,
        label=actor_label(actor),
        at=now,
        from_status=case.status,
        note=note,
        data=data or {},
        is_public=False,
    )


def _add(team: CaseTeam, user: User, role: str, *, actor: User, now: datetime) -> TeamMember:
    place, unit = side_of(user)
    try:
        with transaction.atomic():  # a savepoint: the unique constraints may refuse
            return TeamMember.objects.create(
                team=team,
                user=user,
                role=role,
                side_place=place,
                side_unit=unit,
                added_by=actor,
                added_at=now,
            )
    except IntegrityError:
        raise InvalidInput("该人员已在专班中", field="user") from None


def _set_target(team: CaseTeam, case: Case, days: int | None, now: datetime) -> None:
    due = _target_due(case, days, now)
    if due is None:
        return
    if team.target is not None:
        tracking.move_deadline(team.target, *due)
        return
    team.target = tracking.open_deadline(
        case,
        kind=DEADLINE_KIND,
        label="专班工作方案目标时限",
        due_at=due[0],
        warn_at=due[1],
        now=now,
    )


@transaction.atomic
def create_team(
    case: Case,
    *,
    actor: User,
    leader: User | None,
    members: Sequence[User] = (),
    plan: str = "",
    target_days: int | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Form the case's cross-area team: a leader (组长) and members (成员), each with the side
    they represent, a working plan and an optional target in working days. Returns the event
    ("team_created"); the members are told in-app."""
    now = now or timezone.now()
    if not may_manage_team(actor, case):
        raise NotPermitted("只有承办中心或上级中心的领导可以组建专班")
    locked = _locked(case)
    if CaseTeam.objects.filter(case_id=locked.pk).exists():
        raise InvalidTransition("该纠纷已组建专班")
    if leader is None:
        raise InvalidInput("请选择专班组长", field="leader")
    _check_candidate(locked, actor, leader)
    others = list(dict.fromkeys(m for m in members if m.pk != leader.pk))
    for member in others:
        _check_candidate(locked, actor, member)
    if not is_cross_area(locked, [side_of(u)[0] for u in [leader, *others]]):
        raise InvalidInput(NOT_CROSS_AREA, field="members")
    team = CaseTeam.objects.create(
        case=locked, plan=plan.strip(), created_by=actor, created_at=now, updated_at=now
    )
    _set_target(team, locked, target_days, now)
    team.save(update_fields=["target"])
    rows = [_add(team, leader, TeamRole.LEADER, actor=actor, now=now)]
    rows += [_add(team, user, TeamRole.MEMBER, actor=actor, now=now) for user in others]
    data = {"team": team.pk, "members": [_member_data(r) for r in rows]}
    if team.target is not None:
        data["target"] = team.target.due_at.isoformat()
    return _event(locked, "team_created", actor=actor, now=now, note=team.plan, data=data)


def _team_for_change(case: Case, actor: User) -> tuple[Case, CaseTeam]:
    if not may_manage_team(actor, case):
        raise NotPermitted("只有承办中心或上级中心的领导可以调整专班")
    locked = _locked(case)
    team = team_of(locked)
    if team is None:
        raise InvalidTransition("该纠纷尚未组建专班")
    return locked, team


@transaction.atomic
def add_member(
    case: Case,
    *,
    actor: User,
    user: User | None,
    role: str = TeamRole.MEMBER,
    now: datetime | None = None,
) -> CaseEvent:
    """Add a member (副组长, 成员 or 联络员) to the case's team; they are told in-app."""
    now = now or timezone.now()
    locked, team = _team_for_change(case, actor)
    if role not in MEMBER_ROLES:
        raise InvalidInput("请选择副组长、成员或联络员", field="role")
    _check_candidate(locked, actor, user)
    member = _add(team, user, role, actor=actor, now=now)
    team.updated_at = now
    team.save(update_fields=["updated_at"])
    data = {"team": team.pk, **_member_data(member)}
    return _event(locked, "team_member_added", actor=actor, now=now, data=data)


@transaction.atomic
def remove_member(
    case: Case, member_id: int, *, actor: User, reason: str, now: datetime | None = None
) -> CaseEvent:
    """Take a member off the team (the row stays, ended, with the reason). The leader cannot
    be removed."""
    now = now or timezone.now()
    locked, team = _team_for_change(case, actor)
    member = (
        team.members.filter(pk=member_id, removed_at__isnull=True).select_related("user").first()
    )
    if member is None:
        raise InvalidInput("所选成员不存在或已移出专班", field="member")
    if member.role == TeamRole.LEADER:
        raise InvalidInput("专班组长不能移出", field="member")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写移出理由", field="reason")
    member.removed_at, member.removed_by, member.removal_reason = now, actor, reason
    member.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    team.updated_at = now
    team.save(update_fields=["updated_at"])
    data = {"team": team.pk, **_member_data(member)}
    return _event(locked, "team_member_removed", actor=actor, now=now, note=reason, data=data)


@transaction.atomic
def update_plan(
    case: Case,
    *,
    actor: User,
    plan: str,
    target_days: int | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Replace the team's working plan and, when given, set its target anew (working days
    from now, on the one calendar)."""
    now = now or timezone.now()
    if not may_edit_plan(actor, case):
        raise NotPermitted("只有承办中心或上级中心的领导、专班组长可以修改工作方案")
    locked = _locked(case)
    team = team_of(locked)
    if team is None:
        raise InvalidTransition("该纠纷尚未组建专班")
    plan = plan.strip()
    if not plan:
        raise InvalidInput("工作方案不能为空", field="plan")
    if plan == team.plan and target_days is None:
        raise InvalidInput("工作方案未改变", field="plan")
    team.plan, team.updated_at = plan, now
    _set_target(team, locked, target_days, now)
    team.save(update_fields=["plan", "target", "updated_at"])
    data = {"team": team.pk}
    if team.target is not None:
        data["target"] = team.target.due_at.isoformat()
    return _event(locked, "team_plan_updated", actor=actor, now=now, note=plan, data=data)


@transaction.atomic
def record_team_part(case: Case, actor: User, note: str, *, now: datetime | None = None):
    """A member's report of their side's part (专班成员工作情况) on the timeline; only a current
    member of an open case's team. The holding centre keeps the case's steps."""
    from zongzhi.cases.selectors import may_work_on

    now = now or timezone.now()
    member = (
        TeamMember.objects.filter(team__case_id=case.pk, user_id=actor.pk, removed_at__isnull=True)
        .select_related("side_place", "side_unit")
        .first()
    )
    if member is None or not may_work_on(actor, case):
        raise NotPermitted("只有专班成员可以填写本方工作情况")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise InvalidTransition("已结案的纠纷不能填写专班工作情况")
    note = note.strip()
    if not note:
        raise InvalidInput("工作情况不能为空", field="note")
    data = {
        "member": member.pk,
        "role": member.role,
        "side": str(member.side_unit or member.side_place),
    }
    return _event(locked, "team_part", actor=actor, now=now, note=note, data=data)


def home_teams(user) -> list[TeamMember]:
    """The user's current memberships on open cases, for the workbench home (newest first)."""
    from zongzhi.cases.choices import OPEN_STATUSES

    return list(
        TeamMember.objects.filter(user_id=user.pk, removed_at__isnull=True)
        .filter(team__case__status__in=OPEN_STATUSES)
        .select_related(
            "team", "team__case", "team__case__place", "team__target", "side_place", "side_unit"
        )
        .order_by("-added_at", "-id")[:20]
    )
