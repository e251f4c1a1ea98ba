"""The case page and the POST endpoints behind its forms.

Every view loads the case through `case_for_user`, so a case outside the user's area is a 404
before anything else happens. POSTs call one service each and redirect back (POST/redirect/
GET); a CaseError becomes a Chinese message tagged with the form it belongs to.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zongzhi.cases import deadlines, files, services
from zongzhi.cases.choices import Outcome, RiskGrade
from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import may_take_steps
from zongzhi.cases.workflow import Action
from zongzhi.clock.views import clock_context
from zongzhi.dispatch.context import case_page_context
from zongzhi.places.naming import label_places, short_path
from zongzhi.privacy.access import log_case_view, reveal, reveal_case_text
from zongzhi.privacy.masking import mask_address, mask_id_number, mask_name, mask_phone
from zongzhi.workbench.forms import (
    ActionForm,
    AttachmentForm,
    CommentForm,
    RiskForm,
    first_error,
    handler_label,
    unit_label,
)
from zongzhi.workbench.selectors import case_or_404

PARTY_FIELDS = ("name", "id_number", "phone", "address")
# Types checked from the content at upload (cases.uploads) that a browser may show in place.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def _form_error(request, form_name: str, text: str) -> None:
    messages.error(request, text, extra_tags=f"form-{form_name}")


def _back(case: Case):
    return redirect("workbench:case_detail", pk=case.pk)


def _masked_party(party) -> dict:
    return {
        "party": party,
        "name": mask_name(party.name),
        "id_number": mask_id_number(party.id_number),
        "phone": mask_phone(party.phone),
        "address": mask_address(party.address),
        "revealed": False,
    }


def _form_messages(request) -> dict[str, list[str]]:
    """Split this request's messages into per-form errors; base.html shows untagged ones."""
    by_form: dict[str, list[str]] = {}
    for message in messages.get_messages(request):
        if message.extra_tags.startswith("form-"):
            by_form.setdefault(message.extra_tags.removeprefix("form-"), []).append(message.message)
    return by_form


@login_required
@require_GET
def case_detail(request, pk: int):
    case = case_or_404(request.user, pk)
    log_case_view(request.user, case, channel="工作台", ip_address=request.META.get("REMOTE_ADDR"))
    now = timezone.now()
    form_errors = _form_messages(request)
    action_form = ActionForm(case=case)
    actions = [
        {"transition": t, "errors": form_errors.pop(t.action.value, [])}
        for t in services.permitted_actions(case, request.user)
    ]
    can_judge_risk = (
        request.user.role in services.RISK_JUDGING_ROLES
        and case.is_open
        and may_take_steps(request.user, case)
    )
    risk_errors = form_errors.pop("risk", [])
    if not can_judge_risk:  # the form is not shown, so its errors go with the others
        form_errors["risk-hidden"] = risk_errors
        risk_errors = []
    context = {
        "case": case,
        "colour": case.colour(now),
        "milestones": deadlines.milestone_state(case, now),
        "resolution": deadlines.resolution_of(case),
        "ratings": case.ratings.order_by("round", "id"),
        "parties": [_masked_party(p) for p in case.parties.all()],
        "attachments": case.attachments.all(),
        "assignments": case.assignments.filter(ended_at__isnull=True).select_related(
            "unit", "assignee"
        ),
        "events": case.events.all(),
        "actions": actions,
        "place_label": short_path(case.place),
        "units": [
            (u.pk, unit_label(u, u.place_label))
            for u in label_places(action_form.fields["unit"].queryset, request.user.place)
        ],
        "handlers": [
            (u.pk, handler_label(u, u.place_label))
            for u in label_places(action_form.fields["assignee"].queryset, request.user.place)
        ],
        "outcomes": [(o.value, o.label) for o in (Outcome.RESOLVED, Outcome.UNRESOLVED)],
        "risk_choices": RiskGrade.choices,
        "can_judge_risk": can_judge_risk,
        "risk_errors": risk_errors,
        "comment_errors": form_errors.pop("comment", []),
        "attachment_errors": form_errors.pop("attachment", []),
        # Dispatch's panels take their own forms' errors out of form_errors first.
        **case_page_context(request, case, form_errors),
        **clock_context(request, case, form_errors),
        # Errors of forms no longer shown (e.g. the step changed meanwhile).
        "other_errors": [text for texts in form_errors.values() for text in texts],
        "attachment_form": AttachmentForm(),
    }
    return render(request, "workbench/case_detail.html", context)


@login_required
@require_POST
def case_action(request, pk: int):
    case = case_or_404(request.user, pk)
    form = ActionForm(request.POST, case=case)
    name = request.POST.get("action", "")
    if not form.is_valid():
        _form_error(request, name if name in Action.values else "action", first_error(form))
        return _back(case)
    action = Action(form.cleaned_data["action"])
    outcome = form.cleaned_data["outcome"]
    try:
        services.transition(
            case,
            action,
            actor=request.user,
            note=form.cleaned_data["note"],
            outcome=Outcome(outcome) if outcome else None,
            unit=form.cleaned_data["unit"],
            assignee=form.cleaned_data["assignee"],
            joint_units=list(form.cleaned_data["joint_units"] or ()),
            joint_people=list(form.cleaned_data["joint_people"] or ()),
        )
    except CaseError as error:
        _form_error(request, action.value, error.message)
        return _back(case)
    messages.success(request, f"已{action.label}，当前环节：{case.get_status_display()}")
    return _back(case)


@login_required
@require_POST
def case_risk(request, pk: int):
    case = case_or_404(request.user, pk)
    form = RiskForm(request.POST)
    if not form.is_valid():
        _form_error(request, "risk", first_error(form))
        return _back(case)
    try:
        services.change_risk(
            case,
            RiskGrade(form.cleaned_data["risk"]),
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except CaseError as error:
        _form_error(request, "risk", error.message)
        return _back(case)
    messages.success(request, f"风险等级已调整为“{case.get_risk_display()}”")
    return _back(case)


@login_required
@require_POST
def case_comment(request, pk: int):
    case = case_or_404(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        _form_error(request, "comment", first_error(form))
        return _back(case)
    try:
        services.add_comment(case, form.cleaned_data["note"], actor=request.user)
    except CaseError as error:
        _form_error(request, "comment", error.message)
        return _back(case)
    messages.success(request, "办理备注已保存")
    return _back(case)


@login_required
@require_POST
def case_attachment(request, pk: int):
    case = case_or_404(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_error(request, "attachment", first_error(form))
        return _back(case)
    try:
        attachment = services.add_attachment(case, form.cleaned_data["file"], actor=request.user)
    except CaseError as error:
        _form_error(request, "attachment", error.message)
        return _back(case)
    messages.success(request, f"附件“{attachment.original_name}”已上传")
    return _back(case)


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_pk: int):
    """The one way a file leaves the platform: area-checked like the case page, never
    cached, images shown inline and everything else downloaded, its type not guessed."""
    case = case_or_404(request.user, pk)
    attachment = get_object_or_404(case.attachments, pk=attachment_pk)
    try:
        handle = files.open_attachment(attachment)
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    inline = attachment.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def case_reveal(request, pk: int, party_pk: int):
    """Show one party's personal data in clear; `privacy.access.reveal` checks and logs it."""
    case = case_or_404(request.user, pk)
    party = get_object_or_404(case.parties, pk=party_pk)
    try:
        clear = reveal(
            request.user,
            party,
            PARTY_FIELDS,
            place_path=case.place_path,
            case=case,
            purpose=f"办理纠纷 {case.number}",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except PermissionDenied:
        raise Http404("没有找到该纠纷，或它不在您的管辖范围内") from None
    context = {"case": case, "entry": {"party": party, **clear, "revealed": True}}
    if request.htmx:
        return render(request, "workbench/_party.html", context)
    return render(request, "workbench/party_revealed.html", context)


@login_required
@require_POST
def case_text_reveal(request, pk: int):
    """The case's own words with phone and ID numbers in clear; checked and logged by
    `privacy.access.reveal_case_text`."""
    case = case_or_404(request.user, pk)
    try:
        clear = reveal_case_text(
            request.user,
            case,
            purpose=f"办理纠纷 {case.number}",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except PermissionDenied:
        raise Http404("没有找到该纠纷，或它不在您的管辖范围内") from None
    events = [
        {"event": event, "note": clear["notes"].get(event.pk, "")}
        for event in case.events.exclude(note="")
    ]
    context = {"case": case, "clear": clear, "events": events}
    return render(request, "workbench/case_text_revealed.html", context)
