"""Errors of the JSON API, all in one shape: {"error": {"code", "message", "field"}}.

Messages are Chinese (they reach people); codes are stable English identifiers for programs.
"""

from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from zongzhi.cases.errors import CaseError, InvalidInput, InvalidTransition, NotPermitted
from zongzhi.intake.ratelimit import RateLimited
from zongzhi.intake.services import IdempotencyConflict

NOT_FOUND_MESSAGE = "未找到该纠纷，或不在您的管辖范围内"
CASE_ERROR_STATUS = {NotPermitted: 403, InvalidTransition: 409, InvalidInput: 422}
INVALID_JSON_MESSAGE = "提交内容不是有效的JSON"
HTTP_MESSAGES = {
    400: INVALID_JSON_MESSAGE,  # Ninja's one 400: "Cannot parse request body"
    401: "请先登录，或在 Authorization 头中提供有效的接口令牌",
    403: "没有权限（如使用登录会话，请附带CSRF令牌）",
    404: "未找到",
}


class ApiError(Exception):
    """Raised by handlers for a refusal that is not a service's CaseError."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, "field": field}}


def _field_of(error: dict) -> str | None:
    # loc is like ("body", "data", "description") or ("query", "status"): keep the last name.
    names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    return names[-1] if names else None


def schema_error_message(error: dict) -> tuple[str, str | None]:
    """(Chinese message, field) of pydantic's first error: a validator's own message (ours
    are Chinese, from zongzhi.lib.cleaning or privacy.validators) or a generic one."""
    field = _field_of(error)
    reason = (error.get("ctx") or {}).get("error")
    if error.get("type") == "value_error" and reason is not None:
        detail = str(reason)
        return (f"参数“{field}”{detail}" if field else detail), field
    return (f"参数“{field}”无效" if field else "请求内容无效"), field


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every refusal into the one error shape."""

    def respond(request, status, code, message, field=None, headers=None):
        response = api.create_response(request, error_body(code, message, field), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, exc.field)

    @api.exception_handler(CaseError)
    def case_error(request: HttpRequest, exc: CaseError):
        status = next((s for kind, s in CASE_ERROR_STATUS.items() if isinstance(exc, kind)), 400)
        return respond(request, status, exc.code, exc.message, exc.field)

    @api.exception_handler(ObjectDoesNotExist)
    def not_found(request: HttpRequest, exc: Exception):
        return respond(request, 404, "not_found", NOT_FOUND_MESSAGE)

    @api.exception_handler(Http404)
    def http_404(request: HttpRequest, exc: Exception):
        return respond(request, 404, "not_found", HTTP_MESSAGES[404])

    @api.exception_handler(SuspiciousOperation)
    def too_large(request: HttpRequest, exc: SuspiciousOperation):
        # RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent: refused before parsing.
        return respond(request, 400, "too_large", "提交内容过大或字段过多")

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
        return respond(request, 429, "rate_limited", exc.message, headers=headers)

    @api.exception_handler(IdempotencyConflict)
    def conflict(request: HttpRequest, exc: IdempotencyConflict):
        return respond(request, 409, "idempotency_conflict", exc.message, "Idempotency-Key")

    @api.exception_handler(DjangoValidationError)
    def upload_refused(request: HttpRequest, exc: DjangoValidationError):
        code = getattr(exc, "code", None) or "invalid_input"
        return respond(request, 400, code, "；".join(exc.messages), "photos")

    @api.exception_handler(SchemaValidationError)
    def schema_error(request: HttpRequest, exc: SchemaValidationError):
        message, field = schema_error_message(exc.errors[0] if exc.errors else {})
        return respond(request, 422, "invalid_input", message, field)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return respond(request, 401, "unauthenticated", HTTP_MESSAGES[401])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        code = "csrf_failed" if "CSRF" in exc.message else "http_error"
        if exc.status_code == 400:
            code = "invalid_json"
        message = HTTP_MESSAGES.get(exc.status_code, exc.message)
        return respond(request, exc.status_code, code, message)
