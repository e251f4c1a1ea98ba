"""吹哨报到 through the API: a case's roster of sub-tasks, the whistle, and the called unit's
report in (报到) and report back (反馈).

Every endpoint loads the case through `case_for_user` (404 outside the caller's reach, need-
to-know included); the changes and checks are dispatch.whistles' services.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zongzhi.accounts.models import Unit, User
from zongzhi.api import present
from zongzhi.api.errors import ApiError
from zongzhi.api.inputs import CleanDate, InputSchema, bounded_int
from zongzhi.api.schemas import ErrorOut, EventOut
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import case_for_user
from zongzhi.dispatch import whistles
from zongzhi.dispatch.joint_call import fill_seats
from zongzhi.dispatch.models.whistles import SubTask

router = Router(tags=["吹哨报到"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ReportInHours = bounded_int(1, whistles.REPORT_IN_HOURS_MAX)


class SubTaskOut(Schema):
    id: int
    unit: int | None = Field(None, description="报到单位编号；网格长为空")
    called: str = Field(..., description="报到单位（或网格长）名称")
    seat: str = Field("", description="多长联调席位代码")
    liaison: str | None = Field(None, description="综治专员")
    leader: str | None = Field(None, description="分管领导")
    whistled_at: datetime
    report_in_due_at: datetime
    report_in_state: str = Field(..., description="pending/warning/late/met/met_late")
    reported_in_at: datetime | None
    report_back_due_at: datetime
    report_back_state: str
    reported_back_at: datetime | None
    result: str
    late_now: bool = Field(..., description="此刻有时限已过而未完成")
    may_report: bool = Field(..., description="当前用户可为其报到或反馈")


class RosterOut(Schema):
    sub_tasks: list[SubTaskOut]
    may_whistle: bool


class WhistleIn(InputSchema):
    units: list[int] = Field(default_factory=list, max_length=200, description="报到单位编号")
    grid_heads: list[str] = Field(
        default_factory=list, max_length=20, description="网格长（网格员）用户名"
    )
    note: str = Field("", max_length=2000, description="吹哨事项（必填）")
    report_in_hours: ReportInHours | None = Field(  # type: ignore[valid-type]
        None, description="报到时限（小时），默认24，高风险2"
    )
    report_back_by: CleanDate | None = Field(None, description="反馈日期，默认3个工作日后")


class ReportIn(InputSchema):
    note: str = Field("", max_length=2000, description="报到说明（可不填）")


class ReportBackIn(InputSchema):
    result: str = Field("", max_length=2000, description="办理结果（必填）")


class ChangeOut(Schema):
    event: EventOut
    roster: RosterOut


def _task_out(row: whistles.RosterRow, user: User) -> dict:
    task = row.task
    return {
        "id": task.pk,
        "unit": task.unit_id,
        "called": task.called_name,
        "seat": task.seat,
        "liaison": str(task.liaison) if task.liaison_id else None,
        "leader": str(task.leader) if task.leader_id else None,
        "whistled_at": task.whistled_at,
        "report_in_due_at": task.report_in.due_at,
        "report_in_state": row.report_in_state.value,
        "reported_in_at": task.reported_in_at,
        "report_back_due_at": task.report_back.due_at,
        "report_back_state": row.report_back_state.value,
        "reported_back_at": task.reported_back_at,
        "result": task.result,
        "late_now": row.late_now,
        "may_report": whistles.may_report(user, task),
    }


def _roster_out(case: Case, user: User) -> dict:
    return {
        "sub_tasks": [_task_out(row, user) for row in whistles.roster(case)],
        "may_whistle": whistles.may_whistle(user, case),
    }


def _calls(case: Case, payload: WhistleIn) -> list[whistles.Call]:
    ids = list(dict.fromkeys(payload.units))
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    if len(units) != len(ids):
        raise ApiError(422, "invalid_input", whistles.UNIT_REFUSED, "units")
    names = list(dict.fromkeys(payload.grid_heads))
    people = {p.username: p for p in User.objects.filter(username__in=names)}
    if len(people) != len(names):
        raise ApiError(422, "invalid_input", whistles.GRID_HEAD_REFUSED, "grid_heads")
    fills = fill_seats(case)
    seat_of = {("unit", f.unit.pk): f.seat.key for f in fills if f.unit is not None}
    seat_of |= {("person", f.person.pk): f.seat.key for f in fills if f.person is not None}
    return [whistles.Call(unit=units[i], seat=seat_of.get(("unit", i), "")) for i in ids] + [
        whistles.Call(person=people[n], seat=seat_of.get(("person", people[n].pk), ""))
        for n in names
    ]


def _task(case: Case, task_id: int) -> SubTask:
    task = SubTask.objects.filter(case=case, pk=task_id).first()
    if task is None:
        raise ApiError(404, "not_found", "未找到该吹哨任务")
    return task


@router.get(
    "/cases/{case_id}/sub-tasks", response={200: RosterOut, **ERRORS}, summary="吹哨报到名单"
)
def list_sub_tasks(request: HttpRequest, case_id: int):
    case = case_for_user(request.auth, case_id)
    return _roster_out(case, request.auth)


@router.post(
    "/cases/{case_id}/sub-tasks",
    response={200: ChangeOut, **ERRORS},
    summary="吹哨（通知部门报到）",
)
def whistle(request: HttpRequest, case_id: int, payload: WhistleIn):
    case = case_for_user(request.auth, case_id)
    if not whistles.may_whistle(request.auth, case):
        raise ApiError(403, "not_permitted", f"{request.auth.role_label}不能在此纠纷上吹哨")
    _, event = whistles.whistle(
        case,
        _calls(case, payload),
        actor=request.auth,
        note=payload.note,
        report_in_hours=payload.report_in_hours,
        report_back_by=payload.report_back_by,
    )
    return {"event": present.event_out(event), "roster": _roster_out(case, request.auth)}


@router.post(
    "/cases/{case_id}/sub-tasks/{sub_task_id}/report-in",
    response={200: ChangeOut, **ERRORS},
    summary="部门报到",
)
def report_in(request: HttpRequest, case_id: int, sub_task_id: int, payload: ReportIn):
    case = case_for_user(request.auth, case_id)
    event = whistles.report_in(_task(case, sub_task_id), request.auth, payload.note)
    return {"event": present.event_out(event), "roster": _roster_out(case, request.auth)}


@router.post(
    "/cases/{case_id}/sub-tasks/{sub_task_id}/report-back",
    response={200: ChangeOut, **ERRORS},
    summary="部门反馈办理结果",
)
def report_back(request: HttpRequest, case_id: int, sub_task_id: int, payload: ReportBackIn):
    case = case_for_user(request.auth, case_id)
    event = whistles.report_back(_task(case, sub_task_id), request.auth, payload.result)
    return {"event": present.event_out(event), "roster": _roster_out(case, request.auth)}
