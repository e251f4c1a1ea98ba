"""Cross-area teams (跨区域专班, 一案一专班) through the API.

Every endpoint loads the case through `case_for_user` (404 outside the caller's reach; a
team member reaches the team's case through the registered involvement); the changes and
their checks are dispatch.teams' services, whose refusals become structured errors.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zongzhi.accounts.models import User
from zongzhi.api import present
from zongzhi.api.errors import ApiError
from zongzhi.api.inputs import InputSchema
from zongzhi.api.schemas import ErrorOut, EventOut
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import case_for_user
from zongzhi.dispatch import teams
from zongzhi.dispatch.models.teams import TeamRole
from zongzhi.dispatch.team_views import member_rows
from zongzhi.privacy.masking import mask_free_text

router = Router(tags=["跨区域专班"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
USERNAME = Field(..., max_length=150, description="人员用户名")


class MemberOut(Schema):
    id: int
    username: str
    name: str
    role: str = Field(..., description="leader 组长 / deputy 副组长 / member 成员 / liaison 联络员")
    role_label: str
    side: str = Field(..., description="代表一方：单位或地点")
    added_at: datetime


class TeamOut(Schema):
    case: int
    plan: str
    target_due_at: datetime | None = Field(None, description="目标时限（工作日计算）")
    members: list[MemberOut]
    created_at: datetime
    updated_at: datetime


class TeamCreateIn(InputSchema):
    leader: str = USERNAME
    members: list[str] = Field(default_factory=list, max_length=50, description="成员用户名")
    plan: str = Field("", max_length=4000, description="工作方案")
    target_days: int | None = Field(None, description="目标时限：自今日起的工作日数（1–120）")


class MemberIn(InputSchema):
    username: str = USERNAME
    role: str = Field(TeamRole.MEMBER.value, max_length=12, description="deputy / member / liaison")


class ReasonIn(InputSchema):
    reason: str = Field("", max_length=2000, description="移出理由（必填）")


class PlanIn(InputSchema):
    plan: str = Field("", max_length=4000, description="工作方案（必填）")
    target_days: int | None = Field(None, description="新的目标时限（工作日数）；不填则不变")


class PartIn(InputSchema):
    note: str = Field("", max_length=2000, description="本方工作情况")


class TeamChangeOut(Schema):
    event: EventOut
    team: TeamOut


def _team_out(case: Case, user) -> dict:
    team = teams.team_of(case)
    if team is None:
        raise ApiError(404, "not_found", "该纠纷尚未组建专班")
    members = [
        {
            "id": row["member"].pk,
            "username": row["member"].user.username,
            "name": row["name"],
            "role": row["member"].role,
            "role_label": row["role"],
            "side": row["side"],
            "added_at": row["member"].added_at,
        }
        for row in member_rows(team, user)
    ]
    return {
        "case": case.pk,
        "plan": mask_free_text(team.plan),
        "target_due_at": team.target.due_at if team.target is not None else None,
        "members": members,
        "created_at": team.created_at,
        "updated_at": team.updated_at,
    }


def _person(username: str, field: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ApiError(422, "invalid_input", teams.NOT_A_CANDIDATE, field)
    return user


def _changed(case: Case, user, event) -> dict:
    return {"event": present.event_out(event), "team": _team_out(case, user)}


def _days(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= teams.MAX_TARGET_DAYS:
        raise ApiError(
            422,
            "invalid_input",
            f"目标时限须为1至{teams.MAX_TARGET_DAYS}个工作日",
            "target_days",
        )
    return value


@router.get("/cases/{case_id}/team", response={200: TeamOut, **ERRORS}, summary="跨区域专班")
def get_team(request: HttpRequest, case_id: int):
    case = case_for_user(request.auth, case_id)
    return _team_out(case, request.auth)


@router.post("/cases/{case_id}/team", response={200: TeamChangeOut, **ERRORS}, summary="组建专班")
def create_team(request: HttpRequest, case_id: int, payload: TeamCreateIn):
    case = case_for_user(request.auth, case_id)
    event = teams.create_team(
        case,
        actor=request.auth,
        leader=_person(payload.leader, "leader"),
        members=[_person(name, "members") for name in dict.fromkeys(payload.members)],
        plan=payload.plan,
        target_days=_days(payload.target_days),
    )
    return _changed(case, request.auth, event)


@router.post(
    "/cases/{case_id}/team/members", response={200: TeamChangeOut, **ERRORS}, summary="增加成员"
)
def add_member(request: HttpRequest, case_id: int, payload: MemberIn):
    case = case_for_user(request.auth, case_id)
    event = teams.add_member(
        case,
        actor=request.auth,
        user=_person(payload.username, "username"),
        role=payload.role,
    )
    return _changed(case, request.auth, event)


@router.post(
    "/cases/{case_id}/team/members/{member_id}/remove",
    response={200: TeamChangeOut, **ERRORS},
    summary="移出成员",
)
def remove_member(request: HttpRequest, case_id: int, member_id: int, payload: ReasonIn):
    case = case_for_user(request.auth, case_id)
    event = teams.remove_member(case, member_id, actor=request.auth, reason=payload.reason)
    return _changed(case, request.auth, event)


@router.post(
    "/cases/{case_id}/team/plan", response={200: TeamChangeOut, **ERRORS}, summary="修改工作方案"
)
def update_plan(request: HttpRequest, case_id: int, payload: PlanIn):
    case = case_for_user(request.auth, case_id)
    event = teams.update_plan(
        case, actor=request.auth, plan=payload.plan, target_days=_days(payload.target_days)
    )
    return _changed(case, request.auth, event)


@router.post(
    "/cases/{case_id}/team/part",
    response={200: TeamChangeOut, **ERRORS},
    summary="填写本方工作情况",
)
def team_part(request: HttpRequest, case_id: int, payload: PartIn):
    case = case_for_user(request.auth, case_id)
    event = teams.record_team_part(case, request.auth, payload.note)
    return _changed(case, request.auth, event)
