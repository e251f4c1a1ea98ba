"""Open311 service requests read from cases: which cases, which filters, which fields.

No party data ever leaves here. A dispute's own words (description, location text, photos)
and its exact point lead to people and homes, so the public feed carries only its type, step,
place, times and a point rounded to about a kilometre; the client that filed a request sees
all of it again with its api_key, phone and ID numbers in the text masked.
"""

from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zongzhi.api.open311 import config
from zongzhi.api.open311 import params as params_module
from zongzhi.api.open311.formats import Open311Error, w3c
from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.deadlines import is_open, open_q
from zongzhi.cases.models import Case, CaseAssignment
from zongzhi.cases.numbering import normalise_query_code
from zongzhi.privacy.masking import mask_free_text

SERVICE_NOTICE = "按“13715”时限办理：1日内受理，3日内见面调处，7日内化解，15日内办结。"


def public_requests() -> QuerySet:
    """The cases this endpoint serves, joined for rendering."""
    cases = Case.objects.filter(source__in=config.PUBLIC_SOURCES)
    root = config.root_place()
    if root is not None:
        cases = cases.filter(place_path__under=root.path)
    active = CaseAssignment.objects.filter(ended_at__isnull=True).select_related("unit")
    return cases.select_related("dispute_type", "place", "open311_submission").prefetch_related(
        Prefetch("assignments", queryset=active.order_by("assigned_at"), to_attr="active")
    )


def status_of(case: Case) -> str:
    return "open" if is_open(case) else "closed"


def status_notes(case: Case) -> str:
    label = Status(case.status).label
    if case.status == Status.CLOSED and case.outcome:
        return f"{label}（{Outcome(case.outcome).label}）"
    return f"当前环节：{label}" if is_open(case) else label


def _agency(case: Case) -> str | None:
    """The unit handling the case: the lead unit, else any active unit, else none yet."""
    active = [a for a in case.active if a.unit_id]
    lead = [a for a in active if a.kind == CaseAssignment.Kind.LEAD]
    return (lead or active)[0].unit.name if active else None


def _media_url(case: Case) -> str | None:
    try:
        return case.open311_submission.media_url or None
    except Case.open311_submission.RelatedObjectDoesNotExist:
        return None


def _point(value, own: bool):
    """A phone's GPS point finds a household: the public feed gets it to about a kilometre."""
    if value is None or own:
        return value
    return round(value, 2)


WITHHELD = "纠纷内容涉及个人信息，不予公开；当事人可凭查询码和手机号后四位查询办理进度。"


def _filed_by(case: Case, client) -> bool:
    try:
        return client is not None and case.open311_submission.client_id == client.pk
    except Case.open311_submission.RelatedObjectDoesNotExist:
        return False


def request_out(case: Case, client=None) -> dict:
    """A case as an Open311 service request; its words only for the client that filed it."""
    closed = status_of(case) == "closed"
    own = _filed_by(case, client)
    updated = (case.closed_at or case.updated_at) if closed else case.updated_at
    expected = case.close_due_at if closed else (case.next_due_at or case.close_due_at)
    return {
        "service_request_id": case.number,
        "status": status_of(case),
        "status_notes": status_notes(case),
        "service_name": case.dispute_type.name,
        "service_code": case.dispute_type.code,
        "description": mask_free_text(case.description) if own else WITHHELD,
        "agency_responsible": _agency(case),
        "service_notice": SERVICE_NOTICE,
        "requested_datetime": w3c(case.reported_at or case.created_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(expected),
        "address": mask_free_text(case.location_text or case.place.name)
        if own
        else case.place.name,
        "address_id": None,
        "zipcode": None,
        "lat": _point(case.latitude, own),
        "long": _point(case.longitude, own),
        "media_url": _media_url(case) if own else None,
    }


def _moment(params, name: str, *, end_of_day: bool = False) -> datetime | None:
    raw = (params.get(name) or "").strip()
    return params_module.moment(raw, name, end_of_day=end_of_day) if raw else None


def _codes(params, name: str) -> list[str]:
    return [part.strip() for part in (params.get(name) or "").split(",") if part.strip()]


def _positive(params, name: str, default: int, maximum: int) -> int:
    raw = (params.get(name) or "").strip()
    return params_module.integer(raw, name, minimum=1, maximum=maximum) if raw else default


def search(params) -> QuerySet:
    """GET requests: service_request_id overrides everything; otherwise service_code,
    status and a requested_datetime range of at most 90 days (the last 90 by default)."""
    params_module.check_text(params)
    cases = public_requests()
    ids = _codes(params, "service_request_id")
    if ids:
        return cases.filter(number__in=ids).order_by("-created_at", "-id")
    if codes := _codes(params, "service_code"):
        cases = cases.filter(dispute_type__code__in=codes)
    statuses = _codes(params, "status")
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status只能为open或closed（可用逗号分隔）")
    if set(statuses) == {"open"}:
        cases = cases.filter(open_q())
    elif set(statuses) == {"closed"}:
        cases = cases.exclude(open_q())
    # A date-only end_date runs through the end of that day (Asia/Shanghai).
    start, end = _moment(params, "start_date"), _moment(params, "end_date", end_of_day=True)
    span = timedelta(days=config.DEFAULT_SPAN_DAYS)
    if start is None and end is None:
        end = timezone.now()
    start = start or end - span
    end = end or start + span
    if end < start:
        raise Open311Error(400, "end_date不能早于start_date")
    if end - start > span:
        raise Open311Error(400, f"start_date与end_date的间隔不能超过{config.DEFAULT_SPAN_DAYS}天")
    return cases.filter(created_at__gte=start, created_at__lte=end).order_by("-created_at", "-id")


def page(params, cases: QuerySet) -> list[Case]:
    """Paging beyond the spec (which returns the first 1000): page and page_size."""
    size = _positive(params, "page_size", config.MAX_PAGE_SIZE, config.MAX_PAGE_SIZE)
    number = _positive(params, "page", 1, 100000)
    return list(cases[(number - 1) * size : number * size])


def by_id(request_id: str) -> Case:
    case = public_requests().filter(number=request_id).first()
    if case is None:
        raise Open311Error(404, f"service_request_id“{request_id}”不存在")
    return case


def by_token(token: str) -> Case:
    code = normalise_query_code(token)
    case = public_requests().filter(query_code=code).first() if code else None
    if case is None:
        raise Open311Error(404, "token不存在")
    return case
