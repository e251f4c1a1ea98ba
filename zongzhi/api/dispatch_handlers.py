"""Lead (主办) and joint (协办) handlers of a case through the API.

Every endpoint loads the case through `case_for_user` (404 outside the caller's reach, need-
to-know included); the changes are dispatch.handlers' services, the checks of who may be
given a case dispatch.eligibility's (through api.staff's helpers, one refusal message).
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zongzhi.api import present
from zongzhi.api.inputs import InputSchema
from zongzhi.api.schemas import ErrorOut, EventOut
from zongzhi.api.staff import eligible_person, eligible_unit
from zongzhi.cases.models import Case, CaseAssignment
from zongzhi.cases.selectors import case_for_user
from zongzhi.dispatch import handlers
from zongzhi.dispatch.handler_views import handler_name
from zongzhi.places.naming import short_paths

router = Router(tags=["主办与协办"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class HandlerOut(Schema):
    id: int
    kind: str = Field(..., description="lead（主办）或 joint（协办）")
    kind_label: str
    unit: int | None
    unit_name: str | None
    assignee: str | None = Field(None, description="承办人用户名")
    name: str = Field(..., description="单位与人员，带所在地点")
    assigned_at: datetime


class HandlersOut(Schema):
    lead: HandlerOut | None
    joint: list[HandlerOut]


class HandlerIn(InputSchema):
    unit: int | None = Field(None, description="单位编号")
    assignee: str | None = Field(None, max_length=150, description="人员用户名")
    reason: str = Field("", max_length=2000, description="理由（必填）")


class ReasonIn(InputSchema):
    reason: str = Field("", max_length=2000, description="理由（必填）")


class JointPartIn(InputSchema):
    note: str = Field("", max_length=2000, description="协办意见")


class HandlerChangeOut(Schema):
    event: EventOut
    handlers: HandlersOut


def _handler_out(assignment: CaseAssignment, labels: dict[str, str]) -> dict:
    return {
        "id": assignment.pk,
        "kind": assignment.kind,
        "kind_label": assignment.get_kind_display(),
        "unit": assignment.unit_id,
        "unit_name": assignment.unit.name if assignment.unit_id else None,
        "assignee": assignment.assignee.username if assignment.assignee_id else None,
        "name": handler_name(assignment, labels),
        "assigned_at": assignment.assigned_at,
    }


def _handlers_out(case: Case, user) -> dict:
    active = list(handlers.active_assignments(case))
    places = [a.unit.place for a in active if a.unit_id]
    places += [a.assignee.place for a in active if a.assignee_id and a.assignee.place_id]
    labels = short_paths(places, user.place)
    rows = [_handler_out(a, labels) for a in active]
    return {
        "lead": next((r for r in rows if r["kind"] == CaseAssignment.Kind.LEAD), None),
        "joint": [r for r in rows if r["kind"] == CaseAssignment.Kind.JOINT],
    }


def _changed(case: Case, user, event) -> dict:
    return {"event": present.event_out(event), "handlers": _handlers_out(case, user)}


def _chosen(case: Case, payload: HandlerIn) -> dict:
    return {
        "unit": eligible_unit(case, payload.unit) if payload.unit is not None else None,
        "person": eligible_person(case, payload.assignee) if payload.assignee else None,
    }


@router.get(
    "/cases/{case_id}/handlers", response={200: HandlersOut, **ERRORS}, summary="主办与协办"
)
def list_handlers(request: HttpRequest, case_id: int):
    case = case_for_user(request.auth, case_id)
    return _handlers_out(case, request.auth)


@router.post(
    "/cases/{case_id}/handlers/joint",
    response={200: HandlerChangeOut, **ERRORS},
    summary="增加协办",
)
def add_joint(request: HttpRequest, case_id: int, payload: HandlerIn):
    case = case_for_user(request.auth, case_id)
    event = handlers.add_joint(
        case, actor=request.auth, reason=payload.reason, **_chosen(case, payload)
    )
    return _changed(case, request.auth, event)


@router.post(
    "/cases/{case_id}/handlers/joint/{assignment_id}/remove",
    response={200: HandlerChangeOut, **ERRORS},
    summary="移除协办",
)
def remove_joint(request: HttpRequest, case_id: int, assignment_id: int, payload: ReasonIn):
    case = case_for_user(request.auth, case_id)
    event = handlers.remove_joint(case, assignment_id, actor=request.auth, reason=payload.reason)
    return _changed(case, request.auth, event)


@router.post(
    "/cases/{case_id}/handlers/lead",
    response={200: HandlerChangeOut, **ERRORS},
    summary="更换主办",
)
def change_lead(request: HttpRequest, case_id: int, payload: HandlerIn):
    case = case_for_user(request.auth, case_id)
    event = handlers.change_lead(
        case, actor=request.auth, reason=payload.reason, **_chosen(case, payload)
    )
    return _changed(case, request.auth, event)


@router.post(
    "/cases/{case_id}/handlers/joint-part",
    response={200: HandlerChangeOut, **ERRORS},
    summary="填写协办意见",
)
def joint_part(request: HttpRequest, case_id: int, payload: JointPartIn):
    case = case_for_user(request.auth, case_id)
    event = handlers.record_joint_part(case, request.auth, payload.note)
    return _changed(case, request.auth, event)
