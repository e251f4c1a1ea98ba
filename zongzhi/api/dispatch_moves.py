"""Staff endpoints of the moves between centres (提级, 下交, 转办, 退回; 签收, 退回; 指定).

Every case is read through the one scoping function, so a case (or a move of a case) outside
the caller's area answers 404; the rules are dispatch.moves'.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zongzhi.accounts.models import Unit
from zongzhi.api.errors import ApiError
from zongzhi.api.inputs import InputSchema
from zongzhi.api.schemas import ErrorOut
from zongzhi.cases.selectors import case_for_user
from zongzhi.dispatch import moves
from zongzhi.dispatch.models.moves import CaseMove
from zongzhi.places.models import Place

router = Router(tags=["承办中心与移交"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MoveOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    from_place: str = Field(..., description="移出中心的地点代码")
    to_place: str = Field(..., description="接收中心的地点代码")
    unit: int | None = Field(None, description="转办单位编号")
    unit_name: str = ""
    reason: str
    moved_at: datetime
    sign_due_at: datetime
    binding: bool = Field(..., description="上级指定，须签收（不能退回）")
    answered_at: datetime | None = None
    send_back_reason: str = ""


class MovesOut(Schema):
    holding_place: str | None = Field(None, description="当前承办中心的地点代码")
    pending: MoveOut | None = None
    awaiting_designation: bool
    items: list[MoveOut]


class MoveIn(InputSchema):
    kind: Literal["escalate", "delegate", "transfer", "return"]
    target: str | None = Field(None, description="接收中心地点代码（下交时必填）")
    unit: int | None = Field(None, description="转办单位编号（转办时必填）")
    reason: str = Field(..., max_length=2000)


class ReasonIn(InputSchema):
    reason: str = Field(..., max_length=2000)


class DesignateIn(InputSchema):
    target: str = Field(..., description="指定承办中心的地点代码")
    reason: str = Field(..., max_length=2000)


def move_out(move: CaseMove) -> dict:
    return {
        "id": move.pk,
        "kind": move.kind,
        "kind_label": move.get_kind_display(),
        "state": move.state,
        "state_label": move.get_state_display(),
        "from_place": move.from_place.code,
        "to_place": move.to_place.code,
        "unit": move.unit_id,
        "unit_name": move.unit.name if move.unit_id else "",
        "reason": move.reason,
        "moved_at": move.moved_at,
        "sign_due_at": move.sign_due_at,
        "binding": move.binding,
        "answered_at": move.answered_at,
        "send_back_reason": move.send_back_reason,
    }


def _place(code: str | None) -> Place | None:
    if not code:
        return None
    place = Place.objects.filter(code=code).first()
    if place is None:
        raise ApiError(422, "invalid_input", "所选中心不存在", "target")
    return place


def _move(request: HttpRequest, move_id: int) -> CaseMove:
    move = CaseMove.objects.filter(pk=move_id).first()
    if move is None:
        raise CaseMove.DoesNotExist
    case_for_user(request.auth, move.case_id)  # 404 outside the caller's area
    return CaseMove.objects.select_related("from_place", "to_place", "unit").get(pk=move.pk)


@router.get("/cases/{case_id}/moves", response={200: MovesOut, **ERRORS}, summary="移交记录")
def list_moves(request: HttpRequest, case_id: int):
    case = case_for_user(request.auth, case_id)
    rows = case.moves.select_related("from_place", "to_place", "unit").order_by("moved_at", "id")
    pending = moves.pending_move(case)
    return {
        "holding_place": case.holding_place.code if case.holding_place_id else None,
        "pending": move_out(pending) if pending else None,
        "awaiting_designation": moves.awaiting_designation(case),
        "items": [move_out(m) for m in rows],
    }


@router.post(
    "/cases/{case_id}/moves",
    response={201: MoveOut, **ERRORS},
    summary="移交（提级/下交/转办/退回）",
)
def create_move(request: HttpRequest, case_id: int, payload: MoveIn):
    """Pending until the receiving centre signs for it (within one working day)."""
    case = case_for_user(request.auth, case_id)
    unit = None
    if payload.unit is not None:
        unit = Unit.objects.filter(pk=payload.unit).select_related("place").first()
        if unit is None:
            raise ApiError(422, "invalid_input", "所选单位不能承办此纠纷", "unit")
    move = moves.move_to_centre(
        case,
        _place(payload.target),
        payload.kind,
        actor=request.auth,
        reason=payload.reason,
        unit=unit,
    )
    return 201, move_out(move)


@router.post("/moves/{move_id}/sign", response={200: MoveOut, **ERRORS}, summary="签收")
def sign_move(request: HttpRequest, move_id: int):
    return move_out(moves.sign_for(_move(request, move_id), request.auth))


@router.post("/moves/{move_id}/send-back", response={200: MoveOut, **ERRORS}, summary="拒收退回")
def send_back_move(request: HttpRequest, move_id: int, payload: ReasonIn):
    return move_out(moves.send_back(_move(request, move_id), request.auth, payload.reason))


@router.post(
    "/cases/{case_id}/designate", response={201: MoveOut, **ERRORS}, summary="上级指定承办"
)
def designate_case(request: HttpRequest, case_id: int, payload: DesignateIn):
    """After two send-backs, the superior centre designates who takes the case."""
    case = case_for_user(request.auth, case_id)
    move = moves.designate(case, _place(payload.target), request.auth, payload.reason)
    return 201, move_out(move)
