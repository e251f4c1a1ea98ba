"""The routing panel of the case page: the suggestion and its reasons, accept, override.

Views load the case through `case_for_user` (404 outside the user's area), call one service
and redirect back; a CaseError becomes a Chinese message tagged with the panel's form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case
from zongzhi.dispatch import eligibility, routing, routing_services
from zongzhi.dispatch.centres import parent_centre
from zongzhi.dispatch.models import RoutingDecision
from zongzhi.dispatch.models.routing import TARGET_LEVEL_CHOICES
from zongzhi.dispatch.routing_forms import AcceptForm, OverrideForm
from zongzhi.places.naming import label_places, short_path
from zongzhi.workbench.forms import first_error, handler_label, unit_label
from zongzhi.workbench.selectors import case_or_404

ACCEPT_FORM = "dispatch-routing-accept"
OVERRIDE_FORM = "dispatch-routing-override"


def _back(case: Case):
    return redirect("workbench:case_detail", pk=case.pk)


def first_stop(holding, target):
    """The centre a move towards `target` goes to first: the parent centre when going up."""
    if target.level < holding.level:
        return parent_centre(holding) or target
    return target


def routing_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """What dispatch/_routing.html needs: the suggestion, the forms' choices and errors,
    and the decisions made so far. Shown to the users who may route the case."""
    accept_errors = form_errors.pop(ACCEPT_FORM, [])
    override_errors = form_errors.pop(OVERRIDE_FORM, [])
    user = request.user
    decisions = list(
        RoutingDecision.objects.filter(case=case).select_related(
            "chosen_place", "chosen_unit", "chosen_handler", "decided_by"
        )
    )
    if not routing_services.may_route(user, case):
        # Errors of a form no longer shown go with the page's other errors.
        if accept_errors or override_errors:
            form_errors["dispatch-routing-hidden"] = accept_errors + override_errors
        return {"routing": {"shown": False, "decisions": decisions}}
    suggestion = routing.suggest(case)
    holding = routing_services.holding_centre(case)
    units = label_places(eligibility.assignable_units(case), user.place)
    people = label_places(eligibility.assignable_people(case), user.place)
    return {
        "routing": {
            "shown": True,
            "suggestion": suggestion,
            "suggested_place_label": short_path(suggestion.place) if suggestion else "",
            # 提级 goes one centre up at a time: where accepting sends the case first.
            "first_stop_label": short_path(first_stop(holding, suggestion.place))
            if suggestion
            else "",
            "holding": holding,
            "holding_label": short_path(holding),
            "moves": suggestion is not None and suggestion.place.pk != holding.pk,
            "assigns_later": case.status != "assess",
            "levels": TARGET_LEVEL_CHOICES,
            "units": [(u.pk, unit_label(u, u.place_label)) for u in units],
            "handlers": [(u.pk, handler_label(u, u.place_label)) for u in people],
            "accept_errors": accept_errors,
            "override_errors": override_errors,
            "decisions": decisions,
        }
    }


@login_required
@require_POST
def accept(request, pk: int):
    case = case_or_404(request.user, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form), extra_tags=f"form-{ACCEPT_FORM}")
        return _back(case)
    try:
        decision = routing_services.accept_suggestion(
            case,
            actor=request.user,
            rule_id=form.cleaned_data["rule"],
            note=form.cleaned_data["note"],
        )
    except CaseError as error:
        messages.error(request, error.message, extra_tags=f"form-{ACCEPT_FORM}")
        return _back(case)
    messages.success(request, f"已采纳分流建议：{decision.rule_name}")
    return _back(case)


@login_required
@require_POST
def override(request, pk: int):
    case = case_or_404(request.user, pk)
    form = OverrideForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, first_error(form), extra_tags=f"form-{OVERRIDE_FORM}")
        return _back(case)
    data = form.cleaned_data
    try:
        routing_services.override_route(
            case,
            actor=request.user,
            reason=data["reason"],
            level=data["level"],
            unit=data["unit"],
            handler=data["assignee"],
        )
    except CaseError as error:
        messages.error(request, error.message, extra_tags=f"form-{OVERRIDE_FORM}")
        return _back(case)
    messages.success(request, "已按改派结果分流")
    return _back(case)


urlpatterns = [
    path("cases/<int:pk>/routing/accept/", accept, name="routing_accept"),
    path("cases/<int:pk>/routing/override/", override, name="routing_override"),
]
