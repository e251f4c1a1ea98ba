"""The case page's clock panel (the 13715 milestones, pauses and extensions) and the POST
endpoints behind its forms.

Each POST loads the case through `case_or_404` (404 outside the user's reach), calls one
service of clock.pauses or clock.extensions and redirects back to the case page; a refusal
becomes a Chinese message tagged with its form ("form-clock-<form>").
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from zongzhi.cases import deadlines
from zongzhi.cases.models import Case
from zongzhi.clock import approval, extensions, pauses, selectors
from zongzhi.clock.display import milestone_rows
from zongzhi.clock.forms import DecisionForm, ExtensionForm, ReasonForm
from zongzhi.clock.models import RequestState
from zongzhi.workbench.case_actions import back_to_case, refusal_of
from zongzhi.workbench.forms import first_error
from zongzhi.workbench.selectors import case_or_404

FORM_PREFIX = "clock-"
FORMS = ("pause", "pause-decide", "resume", "extension", "extension-decide")


def _done(request, case: Case, form_name: str, error: str | None, success: str):
    return back_to_case(request, case, f"{FORM_PREFIX}{form_name}", error, success)


_run = refusal_of


@login_required
@require_POST
def pause_request(request, pk: int):
    case = case_or_404(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "pause", first_error(form), "")
    reason = form.cleaned_data["reason"]
    error = _run(lambda: pauses.request_pause(case, actor=request.user, reason=reason))
    return _done(request, case, "pause", error, "停止计时申请已提交，待审批")


@login_required
@require_POST
def pause_decide(request, pk: int, pause_pk: int):
    case = case_or_404(request.user, pk)
    pause = case.clock_pauses.filter(pk=pause_pk).first()
    if pause is None:
        raise Http404("没有找到该申请")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "pause-decide", first_error(form), "")
    approve, note = form.approve, form.cleaned_data["note"]
    error = _run(lambda: pauses.decide_pause(pause, actor=request.user, approve=approve, note=note))
    done = "已批准停止计时，计时暂停" if approve else "已不予停止计时"
    return _done(request, case, "pause-decide", error, done)


@login_required
@require_POST
def pause_resume(request, pk: int):
    case = case_or_404(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "resume", first_error(form), "")
    note = form.cleaned_data["reason"]
    error = _run(lambda: pauses.resume(case, actor=request.user, note=note))
    return _done(request, case, "resume", error, "已恢复计时，未到期的时限已相应顺延")


@login_required
@require_POST
def extension_request(request, pk: int):
    case = case_or_404(request.user, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "extension", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: extensions.request_extension(
            case, actor=request.user, days=data["days"], reason=data["reason"]
        )
    )
    return _done(request, case, "extension", error, "延期申请已提交，待审批")


@login_required
@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    case = case_or_404(request.user, pk)
    extension = case.extensions.filter(pk=extension_pk).first()
    if extension is None:
        raise Http404("没有找到该申请")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "extension-decide", first_error(form), "")
    approve, data = form.approve, form.cleaned_data
    error = _run(
        lambda: extensions.decide_extension(
            extension, actor=request.user, approve=approve, days=data["days"], note=data["note"]
        )
    )
    done = "已批准延期" if approve else "已不予延期"
    return _done(request, case, "extension-decide", error, done)


def clock_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """What clock/_case_clock.html needs: the milestones with their marks, the open pause,
    the pending extension, the history, and the forms this user may use (with errors)."""
    user, now = request.user, timezone.now()
    pause = pauses.open_pause(case)
    pending_extension = (
        case.extensions.filter(state=RequestState.PENDING)
        .select_related("requested_by", "approver_place")
        .first()
    )
    may_request = approval.may_request(user, case)
    extendable = extensions.extendable_milestone(case, now) if may_request else None
    pending_pause = pause if pause and pause.state == RequestState.PENDING else None
    running = pause if pause and pause.state == RequestState.APPROVED else None
    return {
        "clock": {
            "rows": milestone_rows(case, now),
            "paused": running,
            "pending_pause": pending_pause,
            "pending_extension": pending_extension,
            "can_request_pause": may_request
            and pause is None
            and deadlines.is_open(case)
            and case.reported_at is not None
            and deadlines.next_milestone(case) is not None,
            "can_decide_pause": pending_pause is not None
            and approval.may_decide(
                user, case, pending_pause.approver_place, pending_pause.requested_by_id
            ),
            "can_resume": running is not None
            and approval.may_resume(user, case, running.approver_place),
            "extendable": extendable,
            "extension_max": extensions.max_days(extendable) if extendable else 0,
            "can_decide_extension": pending_extension is not None
            and approval.may_decide(
                user, case, pending_extension.approver_place, pending_extension.requested_by_id
            ),
            "history": selectors.history(case),
            "errors": {
                name.replace("-", "_"): form_errors.pop(FORM_PREFIX + name, []) for name in FORMS
            },
        }
    }


urlpatterns = [
    path("cases/<int:pk>/pause/", pause_request, name="pause_request"),
    path("cases/<int:pk>/pause/<int:pause_pk>/decide/", pause_decide, name="pause_decide"),
    path("cases/<int:pk>/pause/resume/", pause_resume, name="pause_resume"),
    path("cases/<int:pk>/extension/", extension_request, name="extension_request"),
    path(
        "cases/<int:pk>/extension/<int:extension_pk>/decide/",
        extension_decide,
        name="extension_decide",
    ),
]
