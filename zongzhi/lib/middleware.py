"""Refuse a request whose URL carries control characters, before any view reads it.

The path, the query string and the Idempotency-Key header reach database lookups in many
views; checking them here once answers 400 in each channel's own form: the JSON API's error,
Open311's error list, a Chinese page elsewhere. Bodies are checked field by field by the
forms and schemas (see zongzhi.lib.cleaning).

Cookies are read by the session store (a database lookup by the session cookie) before any
view: a cookie carrying such characters is dropped, as if the browser had not sent it, so
that the request goes on anonymous instead of failing, and a browser stuck with a broken
cookie is not refused on every page.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zongzhi.lib.cleaning import CONTROL_MESSAGE, first_unclean, has_forbidden_characters

MESSAGE = f"请求地址或参数{CONTROL_MESSAGE}，请检查后重试"


def _unclean_part(request: HttpRequest) -> str | None:
    """Which part of the URL is unclean ("path", a parameter's name, the header), or None."""
    if has_forbidden_characters(request.path):
        return "path"
    pairs = ((name, value) for name, values in request.GET.lists() for value in values)
    name = first_unclean(pairs)
    if name is not None:
        return name or "query"
    if has_forbidden_characters(request.headers.get("Idempotency-Key", "")):
        return "Idempotency-Key"
    return None


def _drop_unclean_cookies(request: HttpRequest) -> None:
    cookies = request.COOKIES
    for name in [
        name for name, value in cookies.items() if first_unclean([(name, value)]) is not None
    ]:
        del cookies[name]


def refusal(request: HttpRequest, field: str) -> HttpResponse:
    """The 400 of the channel the request was meant for."""
    path = request.path
    if path.startswith("/api/"):
        from django.http import JsonResponse

        from zongzhi.api.errors import error_body

        body = error_body("control_character", MESSAGE, field)
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    if path.startswith("/open311/"):
        from zongzhi.api.open311.formats import Open311Error, render_error

        fmt = "xml" if path.endswith(".xml") else "json"
        return render_error(fmt, Open311Error(400, MESSAGE))
    if path.startswith("/intake/m/"):
        return render(request, "intake/citizen/refused.html", {"message": MESSAGE}, status=400)
    return render(request, "bad_input.html", {"message": MESSAGE}, status=400)


class RefuseControlCharactersMiddleware:
    """400 for NUL and other control characters in the URL (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _drop_unclean_cookies(request)
        field = _unclean_part(request)
        if field is not None:
            return refusal(request, field)
        return self.get_response(request)
