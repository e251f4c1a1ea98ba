"""Error pages in Chinese: the workbench's, the citizen page's (mobile), and the API's and
Open311's structured errors for their own paths. Wired in urls.py (handler400 … handler500)
and as CSRF_FAILURE_VIEW; shown whenever DEBUG is off, the demo included."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from zongzhi.api.errors import error_body
from zongzhi.api.open311.formats import Open311Error, render_error

log = logging.getLogger(__name__)

CITIZEN_PREFIX = "/intake/m/"
API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"

# status → (stable code for programs, title, what the person can do)
PAGES = {
    400: ("bad_request", "请求无效", "提交的内容无法处理，请返回上一页检查后重试。"),
    403: ("forbidden", "无权访问", "您没有权限访问此页面。如需使用，请联系系统管理员。"),
    404: (
        "not_found",
        "页面不存在",
        "没有找到该页面或纠纷：它可能不存在，或不在您的管辖范围内。",
    ),
    500: (
        "server_error",
        "系统暂时出错",
        "服务器处理时出现问题，已记录。请稍后再试；如情况紧急，请直接联系综治中心。",
    ),
}
CSRF_PAGE = (
    "csrf_failed",
    "页面已过期",
    "页面已过期或来源无法验证，请返回上一页，刷新后重新提交。",
)


def error_response(
    request: HttpRequest, status: int, page: tuple[str, str, str] | None = None
) -> HttpResponse:
    """The error answer for `request`'s path: JSON for the API, the spec's error list for
    Open311, the mobile page under /intake/m/, the workbench page everywhere else."""
    code, title, message = page or PAGES[status]
    path = request.path_info
    if path.startswith(API_PREFIX):
        return JsonResponse(error_body(code, message), status=status)
    if path.startswith(OPEN311_PREFIX):
        fmt = "xml" if path.endswith(".xml") else "json"
        return render_error(fmt, Open311Error(status, message))
    template = (
        "intake/citizen/error.html" if path.startswith(CITIZEN_PREFIX) else "errors/error.html"
    )
    context = {"status": status, "title": title, "message": message}
    # A server error renders without the request: no session, user or database needed.
    body = loader.render_to_string(template, context, request if status != 500 else None)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return error_response(request, 500)
    except Exception:  # the page itself must never fail: fall back to plain text
        log.exception("the error page could not be rendered")
        return HttpResponse(PAGES[500][2], status=500, content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(request, 403, CSRF_PAGE)
