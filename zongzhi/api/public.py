"""Public endpoints: a citizen files a report and follows it with the query code and the
last four digits of the phone number. No login; limits per IP and per phone number."""

import json

import pydantic
from django.http import HttpRequest
from ninja import Header, Query, Router
from ninja.responses import Status as Reply

from zongzhi.api.errors import INVALID_JSON_MESSAGE, ApiError, schema_error_message
from zongzhi.api.inputs import InputModel
from zongzhi.api.schemas import (
    DisputeTypeOut,
    ErrorOut,
    LookupIn,
    PlaceOut,
    PublicCaseOut,
    PublicEventOut,
    RatingIn,
    ReopenIn,
    ReportIn,
    ReportOut,
)
from zongzhi.cases.choices import PartyRole, Status
from zongzhi.cases.models import Case, DisputeType
from zongzhi.cases.uploads import check_uploads
from zongzhi.intake import limits
from zongzhi.intake import services as intake
from zongzhi.places.models import Level, Place
from zongzhi.privacy.masking import mask_free_text, mask_name

router = Router(tags=["群众（公开）"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}
NOT_FOUND = "未找到该纠纷，请核对查询码和手机号后四位"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
REPORT_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": ReportIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "allOf": [ReportIn.model_json_schema()],
                    "properties": {
                        "photos": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            },
        },
        "required": True,
    }
}
CHANNEL = "api"


def _parse_report(request: HttpRequest) -> tuple[ReportIn, list]:
    """The report from a JSON body, or from a form with up to MAX_PHOTOS `photos` files."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > limits.MAX_REQUEST_BYTES:
        raise ApiError(413, "too_large", "提交内容过大：最多6张照片，每张不超过5MB")
    if request.content_type in FORM_TYPES:
        data = {k: v for k, v in request.POST.dict().items() if v.strip()}
        photos = request.FILES.getlist("photos")
    else:
        if int(request.META.get("CONTENT_LENGTH") or 0) > limits.MAX_JSON_BYTES:
            raise ApiError(400, "too_large", "提交内容过大")
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, RecursionError) as error:  # RecursionError: deeply nested
            raise ApiError(400, "invalid_json", INVALID_JSON_MESSAGE) from error
        photos = []
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "提交内容应为JSON对象")
    try:
        return ReportIn.model_validate(data), photos
    except pydantic.ValidationError as error:
        message, field = schema_error_message(error.errors()[0])
        raise ApiError(422, "invalid_input", message, field) from error


def _citizen_report(payload: ReportIn, photos: list) -> intake.CitizenReport:
    dispute_type = DisputeType.objects.filter(code=payload.dispute_type, is_active=True).first()
    if dispute_type is None:
        raise ApiError(422, "invalid_input", "纠纷类型不存在", "dispute_type")
    place = Place.objects.filter(code=payload.place).first()
    if place is None:
        raise ApiError(422, "invalid_input", "所选地点不存在", "place")
    return intake.CitizenReport(
        dispute_type=dispute_type,
        description=payload.description,
        place=place,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        title=payload.title,
        location_text=payload.location_text,
        latitude=payload.latitude,
        longitude=payload.longitude,
        people_count=payload.people_count,
        photos=photos,
    )


@router.post(
    "/reports",
    response={200: ReportOut, 201: ReportOut, **ERRORS},
    summary="群众反映纠纷（JSON，或 multipart 附照片）",
    openapi_extra=REPORT_BODY,
)
def file_report(
    request: HttpRequest, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    """201 with the case number and query code; a retry with the same Idempotency-Key
    returns the first answer with 200. Refused requests store nothing."""
    # Parsed first: the key is scoped to the citizen's phone, which is in the body.
    payload, photos = _parse_report(request)
    submitter = intake.citizen_submitter(payload.contact_phone)
    already_stored = intake.has_receipt(CHANNEL, idempotency_key, submitter=submitter)
    limits.check_report_ip(limits.client_ip(request), already_stored=already_stored)
    limits.check_report_phone(payload.contact_phone, already_stored=already_stored)
    check_uploads(
        photos, max_count=limits.MAX_PHOTOS, max_bytes=limits.MAX_PHOTO_BYTES, allow_pdf=False
    )
    submission = intake.submit_report(
        _citizen_report(payload, photos),
        channel=CHANNEL,
        submitter=submitter,
        idempotency_key=idempotency_key,
    )
    case = submission.case
    return Reply(
        201 if submission.created else 200,
        {
            "case_number": case.number,
            "query_code": case.query_code,
            "status": case.status,
            "status_label": Status(case.status).label,
            "created": submission.created,
            "message": f"已收到您的反映，查询码{case.query_code}，"
            "请凭查询码和手机号后四位查询办理进度。",
        },
    )


def _proven_case(request: HttpRequest, code: str, phone_last4: str) -> Case:
    """The case, once the caller shows its query code and phone digits; rate-limited per IP
    so that codes cannot be guessed."""
    limits.check_lookup(limits.client_ip(request), code)
    case = intake.find_case(code, phone_last4)
    if case is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return case


def _public_case(case: Case) -> dict:
    applicant = case.parties.filter(role=PartyRole.APPLICANT).first()
    return {
        "case_number": case.number,
        "title": mask_free_text(case.title),
        "dispute_type": case.dispute_type.name,
        "place": case.place.name,
        "status": case.status,
        "status_label": Status(case.status).label,
        "outcome_label": intake.outcome_label(case),
        "reported_at": case.reported_at,
        "applicant": mask_name(applicant.name) if applicant else "",
        "can_rate": intake.can_rate(case),
        "can_reopen": case.status in intake.CONCLUDED,
    }


# Lookup and timeline take the query code and phone digits in a POST body: in a URL they
# would be written to every access log on the way.
@router.post("/cases/lookup", response={200: PublicCaseOut, **ERRORS}, summary="凭查询码查询")
def lookup(request: HttpRequest, payload: LookupIn):
    return _public_case(_proven_case(request, payload.code, payload.phone_last4))


@router.post("/cases/timeline", response={200: list[PublicEventOut], **ERRORS}, summary="办理进度")
def timeline(request: HttpRequest, payload: LookupIn):
    case = _proven_case(request, payload.code, payload.phone_last4)
    return [vars(event) for event in intake.public_timeline(case)]


@router.post("/cases/{code}/rating", response={201: PublicCaseOut, **ERRORS}, summary="评价")
def rate(request: HttpRequest, code: str, payload: RatingIn):
    case = _proven_case(request, code, payload.phone_last4)
    intake.rate(case, payload.score, payload.comment)
    return Reply(201, _public_case(case))


@router.post("/cases/{code}/reopen", response={200: PublicCaseOut, **ERRORS}, summary="反映未解决")
def reopen(request: HttpRequest, code: str, payload: ReopenIn):
    case = _proven_case(request, code, payload.phone_last4)
    intake.reopen(case, payload.reason)
    case.refresh_from_db()
    return _public_case(case)


@router.get("/dispute-types", response=list[DisputeTypeOut], summary="纠纷类型")
def dispute_types(request: HttpRequest):
    return list(DisputeType.objects.filter(is_active=True).values("code", "name", "description"))


class PlaceQuery(InputModel):
    parent: str | None = None


@router.get("/places", response={200: list[PlaceOut], **ERRORS}, summary="可选地点（下级）")
def places(request: HttpRequest, query: Query[PlaceQuery]):
    """Children of `parent` (a place code), down to villages; without it, the top nodes."""
    if query.parent:
        parent = Place.objects.filter(code=query.parent).first()
        if parent is None:
            raise ApiError(404, "not_found", "地点不存在")
        rows = parent.children.all()
    else:
        rows = Place.objects.filter(parent__isnull=True)
    rows = rows.filter(level__lte=Level.VILLAGE).order_by("code")
    return [
        {"code": p.code, "name": p.name, "level": p.level, "level_label": p.level_label}
        for p in rows
    ]
