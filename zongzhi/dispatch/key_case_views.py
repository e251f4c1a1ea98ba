"""The case page's 一案三交 and 一案一策 panel, the home page's list of one's own duties and
plan items, and the POST endpoints behind the panel's forms.

Each POST loads the case through `case_or_404` (404 outside the user's reach), calls one
service of dispatch.key_cases or dispatch.plans and redirects back to the case page; a refusal
becomes a Chinese message tagged with its form ("form-dispatch-key-<form>").
"""

from datetime import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from zongzhi.cases.deadlines import open_q
from zongzhi.cases.models import Case
from zongzhi.clock.calendar import last_day_of
from zongzhi.clock.tracking import STATE_LABELS, DeadlineState, state_of
from zongzhi.dispatch import key_cases, plans
from zongzhi.dispatch.models import Duty, PlanItem
from zongzhi.lib.forms import CleanInputMixin
from zongzhi.places.naming import short_paths
from zongzhi.workbench.case_actions import back_to_case, refusal_of
from zongzhi.workbench.forms import first_error, handler_label
from zongzhi.workbench.selectors import case_or_404

FORM_PREFIX = "dispatch-key-"
LATE_STATES = frozenset({DeadlineState.LATE, DeadlineState.MET_LATE})
NO_SUCH = "所选事项不存在"


class NoteForm(CleanInputMixin, forms.Form):
    note = forms.CharField(required=False, max_length=2000)


class DoneForm(NoteForm):
    item = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={k: NO_SUCH for k in ("required", "invalid", "min_value", "max_value")},
    )


class PlanItemForm(CleanInputMixin, forms.Form):
    measure = forms.CharField(
        max_length=300, error_messages={"required": "请填写措施内容", "max_length": "措施内容过长"}
    )
    person = forms.ModelChoiceField(
        queryset=None,
        error_messages={"required": "请选择责任人", "invalid_choice": plans.PERSON_REFUSED},
    )
    due_on = forms.DateField(
        error_messages={"required": "请填写完成日期", "invalid": "日期格式无效，应为 YYYY-MM-DD"}
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = plans.plan_people(case)


def _done(request, case: Case, form_name: str, error: str | None, success: str):
    return back_to_case(request, case, f"{FORM_PREFIX}{form_name}", error, success)


_run = refusal_of


@login_required
@require_POST
def mark(request, pk: int):
    case = case_or_404(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "mark", first_error(form), "")
    note = form.cleaned_data["note"]
    error = _run(lambda: key_cases.mark_key(case, actor=request.user, note=note))
    return _done(request, case, "mark", error, "已列为重点案件，并交包保领导和属地负责人")


@login_required
@require_POST
def complete_duty(request, pk: int):
    case = case_or_404(request.user, pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "duty", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: key_cases.complete_duty(case, data["item"], actor=request.user, note=data["note"])
    )
    return _done(request, case, "duty", error, "履职情况已记录")


@login_required
@require_POST
def add_plan_item(request, pk: int):
    case = case_or_404(request.user, pk)
    form = PlanItemForm(request.POST, case=case)
    if not form.is_valid():
        return _done(request, case, "plan-add", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: plans.add_plan_item(
            case,
            actor=request.user,
            measure=data["measure"],
            person=data["person"],
            due_on=data["due_on"],
        )
    )
    return _done(request, case, "plan-add", error, "已增加一案一策措施")


@login_required
@require_POST
def complete_plan_item(request, pk: int):
    case = case_or_404(request.user, pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "plan-done", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: plans.complete_plan_item(case, data["item"], actor=request.user, note=data["note"])
    )
    return _done(request, case, "plan-done", error, "措施完成情况已记录")


def tracked_row(thing, now: datetime) -> dict:
    """A duty or plan item with its deadline's state, label and lateness (for the templates)."""
    state = state_of(thing.deadline, now)
    return {
        "item": thing,
        "due_at": thing.deadline.due_at,
        # The day it is due by (a due time at 24:00 is written as the next day's 00:00).
        "due_on": last_day_of(thing.deadline.due_at),
        "state": state.value,
        "state_label": STATE_LABELS[state],
        "late": state in LATE_STATES,
        "warning": state == DeadlineState.WARNING,
    }


def key_case_context(request, case: Case, form_errors: dict[str, list[str]], *, now=None) -> dict:
    """What dispatch/_key_case.html needs: the hand-over (why, who is missing), the duties
    and the plan with their states, and the forms this user may use (with their errors)."""
    from django.utils import timezone

    now = now or timezone.now()
    user = request.user
    key = key_cases.key_case_of(case)

    def errors_of(*shown: str) -> dict[str, list[str]]:
        # Only the errors of forms on show; the others stay for the page's "other errors".
        return {name.replace("-", "_"): form_errors.pop(FORM_PREFIX + name, []) for name in shown}

    if key is None:
        can_mark = case.is_open and key_cases.may_mark(case, user)
        return {
            "key_case": None,
            "key_can_mark": can_mark,
            "key_errors": errors_of("mark") if can_mark else {},
        }
    duties = key_cases.duties_of(case)
    items = plans.plan_of(case)
    can_edit = case.is_open and plans.may_edit_plan(case, user)
    people = list(plans.plan_people(case)) if can_edit else []
    everyone = [d.person for d in duties] + [i.person for i in items] + people
    labels = short_paths([p.place for p in everyone if p.place_id], user.place)

    def name(person) -> str:
        return handler_label(person, labels.get(person.place.path) if person.place_id else "")

    duty_rows = []
    for duty in duties:
        row = tracked_row(duty, now)
        row["person"] = name(duty.person)
        row["can_complete"] = duty.done_at is None and duty.person_id == user.pk
        duty_rows.append(row)
    item_rows = []
    for item in items:
        row = tracked_row(item, now)
        row["person"] = name(item.person)
        row["can_complete"] = (
            case.is_open and item.done_at is None and (item.person_id == user.pk or can_edit)
        )
        item_rows.append(row)
    shown = ["duty"] if any(r["can_complete"] for r in duty_rows) else []
    shown += ["plan-done"] if any(r["can_complete"] for r in item_rows) else []
    shown += ["plan-add"] if can_edit else []
    return {
        "key_case": key,
        "key_duties": duty_rows,
        "key_plan": item_rows,
        "key_can_edit_plan": can_edit,
        "key_plan_people": [(p.pk, name(p)) for p in people],
        "key_errors": errors_of(*shown),
    }


def home_duties(user, *, now: datetime) -> dict:
    """The home page's list: the user's own pending duties and plan items on open cases,
    soonest due first, late ones marked."""
    open_cases = Case.objects.filter(open_q()).values("pk")
    duties = (
        Duty.objects.filter(person_id=user.pk, done_at__isnull=True, case__in=open_cases)
        .select_related("deadline", "case")
        .order_by("deadline__due_at")[:50]
    )
    items = (
        PlanItem.objects.filter(person_id=user.pk, done_at__isnull=True, case__in=open_cases)
        .select_related("deadline", "case")
        .order_by("deadline__due_at")[:50]
    )
    return {
        "my_duties": [tracked_row(d, now) for d in duties],
        "my_plan_items": [tracked_row(i, now) for i in items],
    }


urlpatterns = [
    path("cases/<int:pk>/key/mark/", mark, name="key_mark"),
    path("cases/<int:pk>/key/duty/", complete_duty, name="key_duty_done"),
    path("cases/<int:pk>/key/plan/add/", add_plan_item, name="key_plan_add"),
    path("cases/<int:pk>/key/plan/done/", complete_plan_item, name="key_plan_done"),
]
