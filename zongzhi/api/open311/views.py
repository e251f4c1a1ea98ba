"""Open311 GeoReport v2 under /open311/v2/, discovery at /open311/discovery.{json,xml}.

Thin views: check the jurisdiction (and api_key for POST), call requests/submit/services,
render with formats. Every refusal is the spec's error list in the requested format.
"""

from functools import wraps

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from zongzhi.api.models import Open311Client, hash_key
from zongzhi.api.open311 import config, services, submit
from zongzhi.api.open311 import requests as service_requests
from zongzhi.api.open311.formats import Open311Error, render, render_error
from zongzhi.cases.models import DisputeType
from zongzhi.intake import limits, ratelimit


def open311_view(*methods: str):
    """Allow `methods`, and render Open311Error and rate limits as the spec's errors."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs):
            try:
                if request.method not in methods:
                    raise Open311Error(400, f"不支持{request.method}请求", code=405)
                _check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                return render_error(fmt, error)
            except SuspiciousOperation:
                return render_error(fmt, Open311Error(400, "提交内容过大或字段过多"))
            except ratelimit.RateLimited as limited:
                response = render_error(fmt, Open311Error(429, limited.message))
                response["Retry-After"] = str(limited.retry_after)
                return response

        return csrf_exempt(wrapper)

    return decorate


def _check_jurisdiction(request: HttpRequest) -> None:
    # One jurisdiction per endpoint, so jurisdiction_id is optional; when sent, it must match.
    given = (request.POST.get("jurisdiction_id") if request.method == "POST" else None) or (
        request.GET.get("jurisdiction_id")
    )
    if given and given.strip() != config.jurisdiction_id():
        raise Open311Error(404, f"jurisdiction_id“{given.strip()}”不存在")


def _optional_client(request: HttpRequest) -> Open311Client | None:
    """The client named by a GET's api_key, if any; a wrong key is refused, not ignored."""
    if not (request.GET.get("api_key") or "").strip():
        return None
    return _client(request)


def _client(request: HttpRequest) -> Open311Client:
    raw = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    client = (
        Open311Client.objects.filter(key_hash=hash_key(raw), is_active=True).first()
        if raw
        else None
    )
    if client is None:
        raise Open311Error(403, "api_key无效或缺失，无法提交（Invalid api_key）")
    if client.jurisdiction != config.jurisdiction_id():
        raise Open311Error(403, "该api_key不属于本辖区")
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str):
    endpoint = {
        "specification": config.SPECIFICATION,
        "url": request.build_absolute_uri("/open311/v2"),
        "changeset": config.changeset(),
        "type": config.endpoint_type(),
        "formats": ["text/xml", "application/json"],
    }
    document = {
        "changeset": config.changeset(),
        "contact": "综治中心信息平台运维组，请联系所在县（市、区）综治中心",
        "key_service": "提交服务请求需要api_key，请向所在县（市、区）综治中心申请",
        "endpoints": [endpoint],
    }
    return render(fmt, "discovery", document)


@open311_view("GET")
def service_list(request: HttpRequest, fmt: str):
    return render(fmt, "services", [services.service_entry(t) for t in services.active_types()])


@open311_view("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str):
    dispute_type = DisputeType.objects.filter(code=service_code, is_active=True).first()
    if dispute_type is None:
        raise Open311Error(404, f"service_code“{service_code}”不存在")
    return render(fmt, "service_definition", services.definition(dispute_type))


@open311_view("GET", "POST")
def requests(request: HttpRequest, fmt: str):
    if request.method == "POST":
        client = _client(request)
        filed = submit.file_request(client, request.POST, request.headers.get("Idempotency-Key"))
        case = filed.case
        notice = (
            f"已登记，查询码{case.query_code}，可凭查询码和手机号后四位查询进度。"
            + service_requests.SERVICE_NOTICE
        )
        row = {
            "service_request_id": case.number,
            "service_notice": notice,
            "account_id": filed.account_id or None,
        }
        return render(fmt, "service_requests", [row])
    client = _optional_client(request)
    cases = service_requests.page(request.GET, service_requests.search(request.GET))
    rows = [service_requests.request_out(c, client) for c in cases]
    return render(fmt, "service_requests", rows)


@open311_view("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str):
    client = _optional_client(request)
    case = service_requests.by_id(request_id)
    return render(fmt, "service_requests", [service_requests.request_out(case, client)])


@open311_view("GET")
def token(request: HttpRequest, fmt: str, token: str):
    ratelimit.check(
        "open311-token",
        limits.client_ip(request),
        limits.TOKEN_LOOKUP_PER_IP,
        limits.LOOKUP_LIMIT_MESSAGE,
    )
    case = service_requests.by_token(token)
    return render(fmt, "service_requests", [{"service_request_id": case.number, "token": token}])
