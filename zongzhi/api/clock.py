"""Staff endpoints of a case's clock: pauses (停止计时) and extensions (延期), their decisions,
resuming, and the history.

Every case is read through the one scoping function (404 outside the caller's area); the
rules are clock.pauses', clock.extensions' and clock.approval's.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from zongzhi.api.inputs import InputSchema, bounded_int
from zongzhi.api.schemas import ErrorOut
from zongzhi.cases.selectors import case_for_user
from zongzhi.clock import extensions, pauses, selectors
from zongzhi.clock.models import ClockPause, Extension
from zongzhi.privacy.masking import mask_free_text

router = Router(tags=["停止计时与延期"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RequestOut(Schema):
    id: int
    kind: Literal["pause", "extension"]
    state: str = Field(..., description="pending 待审批 / approved 已批准 / refused 不予批准")
    state_label: str
    reason: str
    requested_by: str
    requested_at: datetime
    approver_place: str = Field(..., description="审批中心的地点代码")
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    # A pause.
    started_at: datetime | None = None
    ended_at: datetime | None = None
    paused_working_days: int | None = Field(None, description="顺延的工作日数（恢复计时后）")
    # An extension.
    milestone: str | None = None
    days_requested: int | None = None
    days_granted: int | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None


class ClockOut(Schema):
    paused: bool
    clock_version: int = Field(..., description="时限版本：时限每因停止计时或延期变动一次加一")
    extendable_milestone: str | None = Field(None, description="当前可申请延期的时限")
    items: list[RequestOut]


class ReasonIn(InputSchema):
    reason: str = Field(..., max_length=2000)


class NoteIn(InputSchema):
    note: str = Field("", max_length=2000)


class ExtensionIn(InputSchema):
    days: bounded_int(1, 15) = Field(..., description="延长的工作日数，至多为该时限本身的长度")
    reason: str = Field(..., max_length=2000)


class DecisionIn(InputSchema):
    decision: Literal["approve", "refuse"]
    note: str = Field("", max_length=2000, description="审批意见（不予批准时必填）")
    days: bounded_int(1, 15) | None = Field(None, description="批准的工作日数（延期；默认申请数）")


def request_out(row: ClockPause | Extension) -> dict:
    common = {
        "id": row.pk,
        "state": row.state,
        "state_label": row.get_state_display(),
        "reason": mask_free_text(row.reason),
        "requested_by": str(row.requested_by),
        "requested_at": row.requested_at,
        "approver_place": row.approver_place.code,
        "decided_by": str(row.decided_by) if row.decided_by_id else None,
        "decided_at": row.decided_at,
        "decision_note": mask_free_text(row.decision_note),
    }
    if isinstance(row, Extension):
        return {
            **common,
            "kind": "extension",
            "milestone": row.milestone,
            "days_requested": row.days_requested,
            "days_granted": row.days_granted,
            "due_before": row.due_before,
            "due_after": row.due_after,
        }
    return {
        **common,
        "kind": "pause",
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "paused_working_days": row.paused_working_days,
    }


def _pause(request: HttpRequest, pause_id: int) -> ClockPause:
    found = ClockPause.objects.filter(pk=pause_id).values_list("case_id", flat=True).first()
    if found is None:
        raise ClockPause.DoesNotExist
    case = case_for_user(request.auth, found)  # 404 outside the caller's area
    return case.clock_pauses.get(pk=pause_id)


def _extension(request: HttpRequest, extension_id: int) -> Extension:
    found = Extension.objects.filter(pk=extension_id).values_list("case_id", flat=True).first()
    if found is None:
        raise Extension.DoesNotExist
    case = case_for_user(request.auth, found)
    return case.extensions.get(pk=extension_id)


def _fresh(row):
    return (
        type(row)
        .objects.select_related("requested_by", "decided_by", "approver_place")
        .get(pk=row.pk)
    )


@router.get("/cases/{case_id}/clock", response={200: ClockOut, **ERRORS}, summary="计时记录")
def case_clock(request: HttpRequest, case_id: int):
    """The case's pauses and extensions, oldest first."""
    case = case_for_user(request.auth, case_id)
    milestone = extensions.extendable_milestone(case, timezone.now())
    return {
        "paused": case.clock_paused_at is not None,
        "clock_version": case.clock_version,
        "extendable_milestone": milestone.value if milestone else None,
        "items": [request_out(row) for row in selectors.history(case)],
    }


@router.post(
    "/cases/{case_id}/pauses", response={201: RequestOut, **ERRORS}, summary="申请停止计时"
)
def request_pause(request: HttpRequest, case_id: int, payload: ReasonIn):
    case = case_for_user(request.auth, case_id)
    pause = pauses.request_pause(case, actor=request.auth, reason=payload.reason)
    return Reply(201, request_out(_fresh(pause)))


@router.post(
    "/pauses/{pause_id}/decision", response={200: RequestOut, **ERRORS}, summary="审批停止计时"
)
def decide_pause(request: HttpRequest, pause_id: int, payload: DecisionIn):
    """Approving starts the pause at once."""
    pause = pauses.decide_pause(
        _pause(request, pause_id),
        actor=request.auth,
        approve=payload.decision == "approve",
        note=payload.note,
    )
    return request_out(_fresh(pause))


@router.post(
    "/cases/{case_id}/pauses/resume", response={200: RequestOut, **ERRORS}, summary="恢复计时"
)
def resume(request: HttpRequest, case_id: int, payload: NoteIn):
    """Ends the running pause; the unmet due times move by the paused working days."""
    case = case_for_user(request.auth, case_id)
    pause = pauses.resume(case, actor=request.auth, note=payload.note)
    return request_out(_fresh(pause))


@router.post(
    "/cases/{case_id}/extensions", response={201: RequestOut, **ERRORS}, summary="申请延期"
)
def request_extension(request: HttpRequest, case_id: int, payload: ExtensionIn):
    """For the case's next milestone; once per milestone, at most its own length."""
    case = case_for_user(request.auth, case_id)
    extension = extensions.request_extension(
        case, actor=request.auth, days=payload.days, reason=payload.reason
    )
    return Reply(201, request_out(_fresh(extension)))


@router.post(
    "/extensions/{extension_id}/decision",
    response={200: RequestOut, **ERRORS},
    summary="审批延期",
)
def decide_extension(request: HttpRequest, extension_id: int, payload: DecisionIn):
    extension = extensions.decide_extension(
        _extension(request, extension_id),
        actor=request.auth,
        approve=payload.decision == "approve",
        days=payload.days,
        note=payload.note,
    )
    return request_out(_fresh(extension))
