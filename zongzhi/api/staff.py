"""Staff endpoints: the case queue, one case, registration, transitions, the timeline.

Every read starts from `Case.objects.visible_to(user)` (through the cases selectors), so a
case outside the caller's area is absent from lists and answers 404 everywhere else.
"""

import hashlib
import json

from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Query, Router
from ninja.responses import Status as Reply

from zongzhi.accounts.models import Unit, User
from zongzhi.api import present
from zongzhi.api.errors import ApiError
from zongzhi.api.schemas import (
    ActionOut,
    CaseDetail,
    CaseFilterQuery,
    CaseIn,
    CasePage,
    CaseTextOut,
    ErrorOut,
    EventOut,
    TransitionIn,
    TransitionOut,
)
from zongzhi.cases import selectors, services
from zongzhi.cases.models import Case, DisputeType
from zongzhi.dispatch import eligibility
from zongzhi.intake.services import file_once, staff_submitter
from zongzhi.places.models import Place
from zongzhi.privacy.access import log_case_view, reveal_case_text

router = Router(tags=["纠纷（工作人员）"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _visible_place(user: User, code: str) -> Place:
    place = Place.objects.filter(code=code).first()
    if place is None or not user.can_see_path(place.path):
        raise ApiError(422, "invalid_input", "所选地点不存在或不在您的管辖范围内", "place")
    return place


def _dispute_type(code: str) -> DisputeType:
    found = DisputeType.objects.filter(code=code).first()
    if found is None:
        raise ApiError(422, "invalid_input", "纠纷类型不存在", "dispute_type")
    return found


def _queue_filters(user: User, query: CaseFilterQuery) -> selectors.QueueFilters:
    if query.created_from and query.created_to and query.created_from > query.created_to:
        raise ApiError(422, "invalid_input", "结束日期不能早于开始日期", "created_to")
    return selectors.QueueFilters(
        status=query.status,
        colour=query.colour,
        dispute_type_id=_dispute_type(query.dispute_type).pk if query.dispute_type else None,
        risk=query.risk,
        source=query.source,
        place=_visible_place(user, query.place) if query.place else None,
        created_from=query.created_from,
        created_to=query.created_to,
        overdue=query.overdue,
        search=query.q,
        assigned_to_me=query.mine,
        centre=query.centre or "",
    )


def eligible_unit(case: Case, pk: int, field: str = "unit") -> Unit:
    """The unit `pk` if dispatch.eligibility lets it take `case`; the same refusal for an
    unknown id as for one that may not."""
    unit = Unit.objects.filter(pk=pk).first()
    if not eligibility.may_take_unit(case, unit):
        raise ApiError(422, "invalid_input", eligibility.UNIT_REFUSED, field)
    return unit


def eligible_person(case: Case, username: str, field: str = "assignee") -> User:
    """The account `username` if dispatch.eligibility lets it take `case` (same refusal)."""
    person = User.objects.filter(username=username).first()
    if not eligibility.may_take_person(case, person):
        raise ApiError(422, "invalid_input", eligibility.ASSIGNEE_REFUSED, field)
    return person


@router.get("/cases", response={200: CasePage, **ERRORS}, summary="纠纷列表（筛选同工作台队列）")
def list_cases(request: HttpRequest, filters: Query[CaseFilterQuery]):
    now, user = timezone.now(), request.auth
    # Need-to-know: department handlers and mediators list only the cases they may work on.
    scoped = selectors.filter_queue(
        Case.objects.workable_by(user), _queue_filters(user, filters), user=user, now=now
    )
    start = (filters.page - 1) * filters.page_size
    rows = selectors.queue_page_queryset(scoped, now=now)[start : start + filters.page_size]
    return {
        "items": [present.case_summary(case, now) for case in rows],
        "count": scoped.count(),
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post("/cases", response={200: CaseDetail, 201: CaseDetail, **ERRORS}, summary="登记纠纷")
def create_case(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Registers a case as the caller (window, grid worker, leader …). A retry with the same
    Idempotency-Key returns the first case (200) instead of registering another."""
    user = request.auth
    data = services.CaseData(
        source=payload.source,
        dispute_type=_dispute_type(payload.dispute_type),
        title=payload.title,
        description=payload.description,
        place=_visible_place(user, payload.place),
        risk=payload.risk,
        people_count=payload.people_count,
        parties=[services.PartyData(**party.model_dump()) for party in payload.parties],
        location_text=payload.location_text,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    content = json.dumps(payload.model_dump(), sort_keys=True, default=str).encode()
    submission = file_once(
        "api-staff",
        idempotency_key,
        hashlib.sha256(content).hexdigest(),
        lambda: services.register_case(data, actor=user, initial_status=payload.initial_status),
        submitter=staff_submitter(user.pk),
    )
    case = selectors.case_for_user(user, submission.case.pk)
    status = 201 if submission.created else 200
    return Reply(status, present.case_detail(case, user, timezone.now()))


@router.get("/cases/{case_id}", response={200: CaseDetail, **ERRORS}, summary="纠纷详情")
def read_case(request: HttpRequest, case_id: int):
    """Parties and phone/ID numbers in the text are masked; the read is logged."""
    case = selectors.case_for_user(request.auth, case_id)
    log_case_view(request.auth, case, channel="API", ip_address=request.META.get("REMOTE_ADDR"))
    return present.case_detail(case, request.auth, timezone.now())


@router.post(
    "/cases/{case_id}/text/reveal", response={200: CaseTextOut, **ERRORS}, summary="查看纠纷原文"
)
def reveal_text(request: HttpRequest, case_id: int):
    """The case's title, description, location and timeline notes without masking; the read
    is written to the access log (who, which case, when, from where)."""
    case = selectors.case_for_user(request.auth, case_id)
    clear = reveal_case_text(
        request.auth,
        case,
        purpose=f"API 办理纠纷 {case.number}",
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    notes = [{"event": pk, "note": note} for pk, note in sorted(clear.pop("notes").items())]
    return {**clear, "notes": notes}


@router.get(
    "/cases/{case_id}/timeline", response={200: list[EventOut], **ERRORS}, summary="办理记录"
)
def case_timeline(request: HttpRequest, case_id: int):
    case = selectors.case_for_user(request.auth, case_id)
    log_case_view(
        request.auth, case, channel="API 办理记录", ip_address=request.META.get("REMOTE_ADDR")
    )
    return [present.event_out(e) for e in case.events.order_by("created_at", "id")]


@router.get(
    "/cases/{case_id}/actions", response={200: list[ActionOut], **ERRORS}, summary="可办操作"
)
def case_actions(request: HttpRequest, case_id: int):
    case = selectors.case_for_user(request.auth, case_id)
    return present.actions_out(case, request.auth)


@router.post(
    "/cases/{case_id}/transitions", response={200: TransitionOut, **ERRORS}, summary="办理操作"
)
def transition_case(request: HttpRequest, case_id: int, payload: TransitionIn):
    user = request.auth
    case = selectors.case_for_user(user, case_id)
    unit = eligible_unit(case, payload.unit) if payload.unit is not None else None
    assignee = eligible_person(case, payload.assignee) if payload.assignee else None
    event = services.transition(
        case,
        payload.action,
        actor=user,
        note=payload.note,
        outcome=payload.outcome,
        unit=unit,
        assignee=assignee,
        joint_units=[eligible_unit(case, pk, "joint_units") for pk in payload.joint_units],
        joint_people=[eligible_person(case, name, "joint_people") for name in payload.joint_people],
    )
    case = selectors.case_for_user(user, case_id)
    return {
        "event": present.event_out(event),
        "case": present.case_detail(case, user, timezone.now()),
    }
