"""The case page's handlers panel (主办 and 协办) and the POST endpoints behind its forms.

Each POST loads the case through `case_for_user` (404 outside the user's reach), calls one
service of dispatch.handlers and redirects back to the case page; a refusal becomes a Chinese
message tagged with its form ("form-dispatch-handlers-<form>").
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from zongzhi.cases.models import Case
from zongzhi.dispatch import eligibility, handlers
from zongzhi.lib.forms import CleanInputMixin
from zongzhi.places.naming import short_paths
from zongzhi.workbench.case_actions import back_to_case, refusal_of
from zongzhi.workbench.forms import first_error, handler_label, unit_label
from zongzhi.workbench.selectors import case_or_404

FORM_PREFIX = "dispatch-handlers-"
FORMS = ("add-joint", "remove-joint", "change-lead", "joint-part")


class HandlerForm(CleanInputMixin, forms.Form):
    """A unit and/or a person for a case (add a joint handler, change the lead), with the
    reason; the choices are dispatch.eligibility's, one message refuses whatever the reason."""

    unit = forms.ModelChoiceField(
        required=False,
        queryset=None,
        error_messages={"invalid_choice": eligibility.UNIT_REFUSED},
    )
    person = forms.ModelChoiceField(
        required=False,
        queryset=None,
        error_messages={"invalid_choice": eligibility.ASSIGNEE_REFUSED},
    )
    reason = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = eligibility.assignable_units(case)
        self.fields["person"].queryset = eligibility.assignable_people(case)


class RemoveJointForm(CleanInputMixin, forms.Form):
    assignment = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": "所选协办单位不存在或已移除",
            "invalid": "所选协办单位不存在或已移除",
            "min_value": "所选协办单位不存在或已移除",
            "max_value": "所选协办单位不存在或已移除",
        },
    )
    reason = forms.CharField(required=False, max_length=2000)


class JointPartForm(CleanInputMixin, forms.Form):
    note = forms.CharField(required=False, max_length=2000)


def _done(request, case: Case, form_name: str, error: str | None, success: str):
    return back_to_case(request, case, f"{FORM_PREFIX}{form_name}", error, success)


_run = refusal_of


@login_required
@require_POST
def add_joint(request, pk: int):
    case = case_or_404(request.user, pk)
    form = HandlerForm(request.POST, case=case)
    if not form.is_valid():
        return _done(request, case, "add-joint", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: handlers.add_joint(
            case,
            actor=request.user,
            unit=data["unit"],
            person=data["person"],
            reason=data["reason"],
        )
    )
    return _done(request, case, "add-joint", error, "已增加协办")


@login_required
@require_POST
def remove_joint(request, pk: int):
    case = case_or_404(request.user, pk)
    form = RemoveJointForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "remove-joint", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: handlers.remove_joint(
            case, data["assignment"], actor=request.user, reason=data["reason"]
        )
    )
    return _done(request, case, "remove-joint", error, "已移除协办")


@login_required
@require_POST
def change_lead(request, pk: int):
    case = case_or_404(request.user, pk)
    form = HandlerForm(request.POST, case=case)
    if not form.is_valid():
        return _done(request, case, "change-lead", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: handlers.change_lead(
            case,
            actor=request.user,
            unit=data["unit"],
            person=data["person"],
            reason=data["reason"],
        )
    )
    return _done(request, case, "change-lead", error, "已更换主办")


@login_required
@require_POST
def joint_part(request, pk: int):
    case = case_or_404(request.user, pk)
    form = JointPartForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "joint-part", first_error(form), "")
    error = _run(lambda: handlers.record_joint_part(case, request.user, form.cleaned_data["note"]))
    return _done(request, case, "joint-part", error, "协办意见已保存")


def handler_name(assignment, labels: dict[str, str]) -> str:
    """ "玉兴街道司法所（玉兴街道） / 张三（入驻部门，玉兴街道）": the unit and person with
    their places (places.naming)."""
    parts = []
    if assignment.unit_id:
        parts.append(unit_label(assignment.unit, labels.get(assignment.unit.place.path)))
    if assignment.assignee_id:
        person = assignment.assignee
        place = labels.get(person.place.path) if person.place_id else ""
        parts.append(handler_label(person, place))
    return " / ".join(parts)


def handlers_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """What dispatch/_handlers.html needs: the lead and joint handlers named with their unit
    and place, and the forms this user may use (with their errors)."""
    user = request.user
    active = list(handlers.active_assignments(case))
    can_manage = handlers.may_manage(case, user) and case.is_open
    places = [a.unit.place for a in active if a.unit_id]
    places += [a.assignee.place for a in active if a.assignee_id and a.assignee.place_id]
    units = people = []
    if can_manage and active:
        units = list(eligibility.assignable_units(case))
        people = list(eligibility.assignable_people(case))
        places += [u.place for u in units] + [p.place for p in people if p.place_id]
    labels = short_paths(places, user.place)
    rows = [{"assignment": a, "name": handler_name(a, labels)} for a in active]
    return {
        "handlers_lead": next((r for r in rows if r["assignment"].kind == "lead"), None),
        "handlers_joint": [r for r in rows if r["assignment"].kind == "joint"],
        "handlers_can_manage": can_manage and bool(active),
        "handlers_can_record_part": case.is_open and handlers.is_joint_handler(case, user),
        "handlers_units": [(u.pk, unit_label(u, labels.get(u.place.path))) for u in units],
        "handlers_people": [
            (p.pk, handler_label(p, labels.get(p.place.path) if p.place_id else "")) for p in people
        ],
        "handlers_errors": {
            name.replace("-", "_"): form_errors.pop(FORM_PREFIX + name, []) for name in FORMS
        },
    }


urlpatterns = [
    path("cases/<int:pk>/handlers/joint/add/", add_joint, name="handlers_add_joint"),
    path("cases/<int:pk>/handlers/joint/remove/", remove_joint, name="handlers_remove_joint"),
    path("cases/<int:pk>/handlers/lead/", change_lead, name="handlers_change_lead"),
    path("cases/<int:pk>/handlers/joint/part/", joint_part, name="handlers_joint_part"),
]
