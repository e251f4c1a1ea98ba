"""The case page's 吹哨报到 panel (roster, whistle form, 多长联调 preset, report in and back)
and the POST endpoints behind its forms.

Each POST loads the case through `case_or_404` (404 outside the user's reach), calls one
service of dispatch.whistles and redirects back to the case page; a refusal becomes a Chinese
message tagged with its form ("form-dispatch-whistles-<form>").
"""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case
from zongzhi.dispatch import whistles
from zongzhi.dispatch.joint_call import fill_seats
from zongzhi.dispatch.models.whistles import SubTask
from zongzhi.dispatch.whistle_forms import ReportForm, WhistleForm
from zongzhi.places.naming import short_paths
from zongzhi.workbench.case_actions import back_to_case
from zongzhi.workbench.forms import first_error, unit_label
from zongzhi.workbench.selectors import case_or_404

FORM_PREFIX = "dispatch-whistles-"
FORMS = ("whistle", "report-in", "report-back")


def _done(request, case: Case, form_name: str, error: str | None, success: str):
    return back_to_case(request, case, f"{FORM_PREFIX}{form_name}", error, success)


@login_required
@require_POST
def whistle(request, pk: int):
    case = case_or_404(request.user, pk)
    form = WhistleForm(request.POST, case=case)
    if not form.is_valid():
        return _done(request, case, "whistle", first_error(form), "")
    data = form.cleaned_data
    try:
        tasks, _ = whistles.whistle(
            case,
            form.calls(fill_seats(case)),
            actor=request.user,
            note=data["note"],
            report_in_hours=data["report_in_hours"],
            report_back_by=data["report_back_by"],
        )
    except CaseError as error:
        return _done(request, case, "whistle", error.message, "")
    return _done(request, case, "whistle", None, f"已吹哨，{len(tasks)}个单位须按时报到")


def _report(request, pk: int, form_name: str, service, success: str):
    case = case_or_404(request.user, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _done(request, case, form_name, first_error(form), "")
    task = SubTask.objects.filter(case=case, pk=form.cleaned_data["sub_task"]).first()
    if task is None:
        return _done(request, case, form_name, "所选吹哨任务不存在", "")
    try:
        service(task, request.user, form.cleaned_data["note"])
    except CaseError as error:
        return _done(request, case, form_name, error.message, "")
    return _done(request, case, form_name, None, success)


@login_required
@require_POST
def report_in(request, pk: int):
    return _report(request, pk, "report-in", whistles.report_in, "已报到")


@login_required
@require_POST
def report_back(request, pk: int):
    return _report(request, pk, "report-back", whistles.report_back, "已反馈办理结果")


def whistles_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """What dispatch/_whistles.html needs: the roster with its states, the tasks this user
    may report on, and the whistle form's choices and 多长联调 preset for those who may
    whistle."""
    user = request.user
    now = timezone.now()
    rows = whistles.roster(case, now)
    can_whistle = whistles.may_whistle(user, case)
    context = {
        "whistle_rows": rows,
        "whistle_mine": {r.task.pk for r in rows if whistles.may_report(user, r.task)},
        "whistle_can": can_whistle,
        # Errors of a form not shown stay in form_errors: the page lists them elsewhere.
        "whistle_errors": {
            name.replace("-", "_"): form_errors.pop(FORM_PREFIX + name, [])
            for name in FORMS
            if (can_whistle if name == "whistle" else bool(rows))
        },
    }
    if not can_whistle:
        return context
    units = list(whistles.callable_units(case))
    labels = short_paths([u.place for u in units], user.place)
    open_units = {r.task.unit_id for r in rows if r.task.is_open and r.task.unit_id}
    fills = fill_seats(case)
    context.update(
        {
            "whistle_units": [
                {
                    "unit": u,
                    "label": unit_label(u, labels.get(u.place.path)),
                    "liaison": whistles.contacts_of(u)[0],
                    "busy": u.pk in open_units,
                }
                for u in units
            ],
            "whistle_grid_heads": list(whistles.grid_heads(case)),
            "whistle_fills": fills,
            "whistle_preset": {
                "units": [f.unit.pk for f in fills if f.unit is not None],
                "grid_heads": [f.person.pk for f in fills if f.person is not None],
            },
            "whistle_default_hours": whistles.default_report_in_hours(case),
            "whistle_default_back": whistles.default_report_back_day(case, now).isoformat(),
        }
    )
    return context


urlpatterns = [
    path("cases/<int:pk>/whistles/", whistle, name="whistle"),
    path("cases/<int:pk>/whistles/report-in/", report_in, name="whistle_report_in"),
    path("cases/<int:pk>/whistles/report-back/", report_back, name="whistle_report_back"),
]
