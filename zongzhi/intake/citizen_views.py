"""The citizen's mobile page (H5): report a dispute, follow it, rate it, reopen it; QR codes.

Public and anonymous. Views only parse, check limits, call `intake.services` and render;
idempotency, masking and the case rules live in the services.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zongzhi.cases.choices import Status
from zongzhi.cases.deadlines import is_open
from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case
from zongzhi.intake import limits, qr, ratelimit, services
from zongzhi.intake.citizen_forms import (
    LookupForm,
    PlacePicker,
    RatingForm,
    ReopenForm,
    ReportForm,
)
from zongzhi.intake.limits import MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_REQUEST_BYTES, client_ip
from zongzhi.lib import cleaning
from zongzhi.places.models import Level, Place

CHANNEL = "h5"
# Six photos of 5 MB and the text fields; anything larger is refused before it is read.
# How long a lookup with the right phone digits lets this browser see and act on the case.
VERIFIED_SECONDS = 30 * 60
SESSION_KEY = "citizen_case"
GENERIC_LOOKUP_ERROR = "查询码或手机号后四位不正确"

# The citizen's view of the steps (上报→受理→交办→化解→回访/办结) and how far each status got.
STEPS = ["上报", "受理", "交办", "化解", "回访/办结"]
STEP_REACHED = {
    Status.VISIT: 0,
    Status.SCREEN: 0,
    Status.REPORT: 0,
    Status.ASSESS: 1,
    Status.ASSIGN: 2,
    Status.RESOLVE: 2,
    Status.STABILISE: 2,
    Status.FOLLOW_UP: 3,
    Status.CLOSED: 4,
    Status.REJECTED: 0,
}


def refused(request: HttpRequest, message: str, *, status: int, retry_after: int | None = None):
    response = render(request, "intake/citizen/refused.html", {"message": message}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def body_size_limited(view):
    """Refuse an oversized upload by its Content-Length before anything reads the body."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_REQUEST_BYTES:
                message = (
                    f"提交的内容过大：最多上传{MAX_PHOTOS}张照片，"
                    f"每张不超过{MAX_PHOTO_BYTES // (1024 * 1024)}MB"
                )
                return refused(request, message, status=413)
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """Health check: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


# --- Report -------------------------------------------------------------------------------


def _preset_place(code: str) -> Place | None:
    # An unclean code is never looked up; the form reports it.
    if not code or cleaning.has_forbidden_characters(code):
        return None
    return Place.objects.filter(code=code, level__gte=Level.TOWNSHIP).first()


def _render_report(request, form: ReportForm, *, status: int = 200, error: str = ""):
    preset = form.preset
    context = {
        "form": form,
        "preset": preset,
        "preset_name": preset.full_name if preset else "",
        "picker": None if preset else form.picker(),
        "error": error,
        "max_photos": MAX_PHOTOS,
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
    }
    return render(request, "intake/citizen/report.html", context, status=status)


@csrf_exempt  # checked below by csrf_protect, after the size check
@body_size_limited
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """我要反映: the report form; a valid POST files the case once and shows the query code."""
    if request.method == "GET":
        preset = _preset_place(request.GET.get("place", "").strip())
        return _render_report(request, ReportForm(preset=preset))

    preset = _preset_place(request.POST.get("place", "").strip())
    form = ReportForm(request.POST, request.FILES, preset=preset)
    if "refresh_place" in request.POST:
        # Without JavaScript the place cascade advances by this button: re-show, store nothing.
        return _render_report(request, ReportForm(request.POST, preset=preset))
    key = (
        request.headers.get("Idempotency-Key", "").strip()
        or request.POST.get("client_token", "").strip()
    )[:120] or None
    if key and cleaning.has_forbidden_characters(key):
        key = None  # the form refuses it below; never a lookup with it
    # Keys are scoped to the citizen's phone: the raw field is enough to find their receipt.
    submitter = services.citizen_submitter(request.POST.get("contact_phone", ""))
    already_stored = services.has_receipt(CHANNEL, key, submitter=submitter)
    try:
        limits.check_report_ip(client_ip(request), already_stored=already_stored)
    except ratelimit.RateLimited as limited:
        return refused(request, limited.message, status=429, retry_after=limited.retry_after)
    if not form.is_valid():
        return _render_report(request, form, status=400)
    try:
        limits.check_report_phone(form.cleaned_data["contact_phone"], already_stored=already_stored)
    except ratelimit.RateLimited as limited:
        return refused(request, limited.message, status=429, retry_after=limited.retry_after)
    try:
        submission = services.submit_report(form.to_report(), channel=CHANNEL, idempotency_key=key)
    except services.IdempotencyConflict as conflict:
        data = request.POST.copy()
        data["client_token"] = ReportForm().initial["client_token"]
        fresh = ReportForm(data, preset=preset)
        return _render_report(request, fresh, status=409, error=conflict.message)
    except CaseError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return _render_report(request, form, status=400)
    return render(
        request,
        "intake/citizen/report_done.html",
        {"case": submission.case, "created": submission.created},
    )


@require_GET
def place_picker(request: HttpRequest) -> HttpResponse:
    """The cascading selects, re-rendered for the codes chosen so far (htmx partial)."""
    codes = [request.GET.get(name, "") for name in ("county", "township", "village")]
    picker = PlacePicker.build(*codes)
    return render(request, "intake/citizen/_place_picker.html", {"picker": picker})


# --- Lookup and progress --------------------------------------------------------------------


def _verified_case(request: HttpRequest) -> Case | None:
    entry = request.session.get(SESSION_KEY)
    if not entry or entry.get("until", 0) < time.time():
        return None
    return Case.objects.select_related("dispute_type", "place").filter(pk=entry["id"]).first()


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """进度查询: the query code and the phone's last four digits, every time, in a POST
    body (never the URL, which access logs keep); the verified case then stays in the
    session for VERIFIED_SECONDS and the progress page's URL carries neither."""
    if request.method == "GET":
        return render(request, "intake/citizen/lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    try:
        limits.check_lookup(client_ip(request), request.POST.get("code", ""))
    except ratelimit.RateLimited as limited:
        return refused(request, limited.message, status=429, retry_after=limited.retry_after)
    if not form.is_valid():
        return render(request, "intake/citizen/lookup.html", {"form": form}, status=400)
    case = services.find_case(form.cleaned_data["code"], form.cleaned_data["phone_last4"])
    if case is None:
        form.add_error(None, GENERIC_LOOKUP_ERROR)
        return render(request, "intake/citizen/lookup.html", {"form": form}, status=400)
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": case.pk, "until": time.time() + VERIFIED_SECONDS}
    return redirect("intake:progress")


def _steps(case: Case) -> list[dict]:
    reached = STEP_REACHED.get(case.status, 0)
    finished = not is_open(case)
    rows = []
    for index, label in enumerate(STEPS):
        if index <= reached:
            state = "done"
        elif index == reached + 1 and not finished:
            state = "current"
        else:
            state = "todo"
        rows.append({"label": label, "state": state})
    return rows


def _expired(request: HttpRequest) -> HttpResponse:
    messages.info(request, "为保护您的信息，请重新输入查询码和手机号后四位")
    return redirect("intake:lookup")


@never_cache
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    case = _verified_case(request)
    if case is None:
        return _expired(request)
    return _render_progress(request, case)


def _render_progress(request, case, *, rating_form=None, reopen_form=None, status=200):
    concluded = case.status in services.CONCLUDED
    # A refusal of the whole action (rated already, not concluded) shows on top of the page,
    # since the form it came from may no longer be offered.
    action_errors = [
        error for form in (rating_form, reopen_form) if form for error in form.non_field_errors()
    ]
    context = {
        "action_errors": action_errors,
        "case": case,
        "steps": _steps(case),
        "rejected": case.status == Status.REJECTED,
        "place_name": case.place.full_name,
        "timeline": services.public_timeline(case),
        "outcome": services.outcome_label(case),
        "can_rate": services.can_rate(case),
        "concluded": concluded,
        "rating_form": rating_form or RatingForm(),
        "reopen_form": reopen_form or ReopenForm(),
        "ratings": list(case.ratings.order_by("round")),
    }
    return render(request, "intake/citizen/progress.html", context, status=status)


@require_POST
def rate_case(request: HttpRequest) -> HttpResponse:
    case = _verified_case(request)
    if case is None:
        return _expired(request)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(case, form.cleaned_data["score"], form.cleaned_data["comment"])
        except CaseError as error:
            form.add_error("score" if error.field == "score" else None, error.message)
        else:
            messages.success(request, "感谢您的评价")
            return redirect("intake:progress")
    return _render_progress(request, case, rating_form=form, status=400)


@require_POST
def reopen_case(request: HttpRequest) -> HttpResponse:
    case = _verified_case(request)
    if case is None:
        return _expired(request)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(case, form.cleaned_data["reason"])
        except CaseError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(request, "已收到您的反映，纠纷已重新进入化解环节")
            return redirect("intake:progress")
    return _render_progress(request, case, reopen_form=form, status=400)


# --- QR codes and poster --------------------------------------------------------------------


def _qr_place_or_404(code: str) -> Place:
    place = qr.qr_place(code)
    if place is None:
        raise Http404("没有这个地点的二维码")
    return place


@require_GET
@cache_control(public=True, max_age=86400)
def qr_png(request: HttpRequest, code: str) -> HttpResponse:
    place = _qr_place_or_404(code)
    return HttpResponse(qr.render_png(qr.report_url(request, place.code)), content_type="image/png")


@require_GET
@cache_control(public=True, max_age=86400)
def qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    place = _qr_place_or_404(code)
    return HttpResponse(
        qr.render_svg(qr.report_url(request, place.code)), content_type="image/svg+xml"
    )


@require_GET
def poster(request: HttpRequest, code: str) -> HttpResponse:
    """A4 poster to print and put up at the centre or in the village."""
    place = _qr_place_or_404(code)
    context = {
        "place": place,
        "centre_name": qr.centre_name(place),
        "full_name": place.full_name,
        "report_url": qr.report_url(request, place.code),
        "hotline": getattr(settings, "CITIZEN_HOTLINE", "12345"),
    }
    return render(request, "intake/citizen/poster.html", context)
