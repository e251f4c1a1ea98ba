"""包保, 一案三交 and 一案一策 through the API.

The 包保 table is read through dispatch.coverage, limited to the rows on the caller's area and
their own; every case endpoint loads the case through `case_for_user` (404 outside the
caller's reach) and calls dispatch.key_cases or dispatch.plans.
"""

from datetime import date, datetime

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zongzhi.accounts.models import User
from zongzhi.api.errors import ApiError
from zongzhi.api.inputs import CleanDate, InputSchema
from zongzhi.api.schemas import ErrorOut
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import case_for_user
from zongzhi.clock.calendar import local_date
from zongzhi.dispatch import coverage, key_cases, plans
from zongzhi.dispatch.key_case_views import tracked_row
from zongzhi.dispatch.models.coverage import CoverKind
from zongzhi.places.models import Place

router = Router(tags=["包保与一案三交"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CoverageOut(Schema):
    id: int
    cadre: str = Field(..., description="包保干部用户名")
    cadre_name: str
    title: str = Field(..., description="职务")
    kind: str
    kind_label: str
    place: str = Field(..., description="包保地点代码")
    place_name: str
    label: str = Field(..., description="村民小组或户；空表示整个地点")
    starts_on: date
    ends_on: date | None


class CoverageQuery(InputSchema):
    place: str | None = Field(
        None, max_length=20, description="地点代码：包保该地点（含上级）的记录"
    )
    cadre: str | None = Field(None, max_length=150, description="包保干部用户名")
    kind: CoverKind | None = None
    on: CleanDate | None = Field(None, description="在该日有效的记录；默认今天")
    all_periods: bool = Field(False, description="为 true 时列出所有时期的记录")


class TrackedOut(Schema):
    id: int
    person: str = Field(..., description="责任人用户名")
    person_name: str
    due_at: datetime
    state: str = Field(..., description="pending / warning / late / met / met_late / cancelled")
    state_label: str
    late: bool
    done_at: datetime | None
    done_note: str


class DutyOut(TrackedOut):
    role: str
    role_label: str
    kind: str
    kind_label: str
    title: str


class PlanItemOut(TrackedOut):
    measure: str


class KeyCaseOut(Schema):
    key: bool = Field(..., description="是否重点案件")
    reason: str | None = None
    reason_label: str | None = None
    note: str = ""
    handed_at: datetime | None = None
    township: str | None = Field(None, description="属地乡镇代码")
    missing: list[str] = Field(default_factory=list, description="未落实的责任人")
    duties: list[DutyOut] = Field(default_factory=list)
    plan: list[PlanItemOut] = Field(default_factory=list)


class NoteIn(InputSchema):
    note: str = Field("", max_length=2000, description="理由或履职、完成情况（必填）")


class PlanItemIn(InputSchema):
    measure: str = Field("", max_length=300, description="措施")
    person: str = Field("", max_length=150, description="责任人用户名")
    due_on: CleanDate | None = Field(None, description="完成日期")


def _coverage_out(row) -> dict:
    return {
        "id": row.pk,
        "cadre": row.cadre.username,
        "cadre_name": str(row.cadre),
        "title": row.title,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "place": row.place.code,
        "place_name": row.place.name,
        "label": row.label,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
    }


@router.get("/coverage", response={200: list[CoverageOut], **ERRORS}, summary="包保责任表")
def list_coverage(request: HttpRequest, query: Query[CoverageQuery]):
    """Rows on places in the caller's area, and the caller's own rows."""
    user = request.auth
    place = cadre = None
    if query.place:
        place = Place.objects.filter(code=query.place).first()
        if place is None or not user.can_see_path(place.path):
            raise ApiError(422, "invalid_input", "所选地点不存在或不在您的管辖范围内", "place")
    if query.cadre:
        cadre = User.objects.filter(username=query.cadre).first()
        if cadre is None:
            raise ApiError(422, "invalid_input", "该用户不存在", "cadre")
    on = None if query.all_periods else (query.on or local_date(timezone.now()))
    rows = coverage.coverage_rows(place=place, cadre=cadre, kind=query.kind, on=on)
    mine = Q(cadre_id=user.pk)
    if user.works_in_an_area:
        mine |= Q(place__path__under=user.place.path)
    return [_coverage_out(row) for row in rows.filter(mine)[:500]]


def _tracked(thing, row: dict) -> dict:
    return {
        "id": thing.pk,
        "person": thing.person.username,
        "person_name": str(thing.person),
        "due_at": row["due_at"],
        "state": row["state"],
        "state_label": row["state_label"],
        "late": row["late"],
        "done_at": thing.done_at,
        "done_note": thing.done_note,
    }


def _key_out(case: Case) -> dict:
    now = timezone.now()
    key = key_cases.key_case_of(case)
    if key is None:
        return {"key": False}
    duties = [
        {
            **_tracked(d, tracked_row(d, now)),
            "role": d.role,
            "role_label": d.get_role_display(),
            "kind": d.kind,
            "kind_label": d.get_kind_display(),
            "title": d.title,
        }
        for d in key_cases.duties_of(case)
    ]
    plan = [{**_tracked(i, tracked_row(i, now)), "measure": i.measure} for i in plans.plan_of(case)]
    return {
        "key": True,
        "reason": key.reason,
        "reason_label": key.get_reason_display(),
        "note": key.note,
        "handed_at": key.handed_at,
        "township": key.township.code if key.township_id else None,
        "missing": key.missing_labels,
        "duties": duties,
        "plan": plan,
    }


@router.get("/cases/{case_id}/key", response={200: KeyCaseOut, **ERRORS}, summary="一案三交状态")
def key_status(request: HttpRequest, case_id: int):
    return _key_out(case_for_user(request.auth, case_id))


@router.post("/cases/{case_id}/key", response={200: KeyCaseOut, **ERRORS}, summary="列为重点案件")
def mark_key(request: HttpRequest, case_id: int, payload: NoteIn):
    case = case_for_user(request.auth, case_id)
    key_cases.mark_key(case, actor=request.auth, note=payload.note)
    return _key_out(case)


@router.post(
    "/cases/{case_id}/duties/{duty_id}/done",
    response={200: KeyCaseOut, **ERRORS},
    summary="记录履职情况",
)
def complete_duty(request: HttpRequest, case_id: int, duty_id: int, payload: NoteIn):
    case = case_for_user(request.auth, case_id)
    key_cases.complete_duty(case, duty_id, actor=request.auth, note=payload.note)
    return _key_out(case)


@router.get(
    "/cases/{case_id}/plan", response={200: list[PlanItemOut], **ERRORS}, summary="一案一策"
)
def list_plan(request: HttpRequest, case_id: int):
    return _key_out(case_for_user(request.auth, case_id)).get("plan", [])


@router.post("/cases/{case_id}/plan", response={200: KeyCaseOut, **ERRORS}, summary="增加措施")
def add_plan_item(request: HttpRequest, case_id: int, payload: PlanItemIn):
    case = case_for_user(request.auth, case_id)
    person = User.objects.filter(username=payload.person).first() if payload.person else None
    plans.add_plan_item(
        case, actor=request.auth, measure=payload.measure, person=person, due_on=payload.due_on
    )
    return _key_out(case)


@router.post(
    "/cases/{case_id}/plan/{item_id}/done", response={200: KeyCaseOut, **ERRORS}, summary="措施完成"
)
def complete_plan_item(request: HttpRequest, case_id: int, item_id: int, payload: NoteIn):
    case = case_for_user(request.auth, case_id)
    plans.complete_plan_item(case, item_id, actor=request.auth, note=payload.note)
    return _key_out(case)
