"""The moves panel of the case page and the POSTs behind its forms (move, sign for, send
back, designate). Each view loads the case through the one scoping function (a case outside
the user's area is a 404), calls one service of dispatch.moves and redirects back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from zongzhi.cases.deadlines import is_open
from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case
from zongzhi.dispatch import eligibility, moves
from zongzhi.dispatch.centres import nearest_centre
from zongzhi.dispatch.models.moves import CaseMove, MoveKind
from zongzhi.dispatch.move_forms import DesignateForm, MoveForm, SendBackForm
from zongzhi.places.models import Level, Place
from zongzhi.places.naming import short_path
from zongzhi.workbench.forms import first_error, unit_label
from zongzhi.workbench.selectors import case_or_404

FORM_MOVE = "dispatch-moves-move"
FORM_ANSWER = "dispatch-moves-answer"
FORM_DESIGNATE = "dispatch-moves-designate"


def centre_label(place: Place | None) -> str:
    """A centre named with its parents: "红塔区·玉兴街道（乡镇（街道）综治中心）"."""
    if place is None:
        return "—"
    return f"{short_path(place)}（{Level(place.level).centre_name}）"


def moves_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """Context of dispatch/_moves.html: the holding centre, the pending move and what the
    user may do (move, sign for or send back, designate)."""
    user, now = request.user, timezone.now()
    errors = [
        text
        for name in (FORM_MOVE, FORM_ANSWER, FORM_DESIGNATE)
        for text in form_errors.pop(name, [])
    ]
    if case.holding_place is None:
        return {"moves_panel": None}
    pending = moves.pending_move(case)
    holding_staff = moves.is_centre_staff(user, case.holding_place)
    open_case = is_open(case)
    awaiting = moves.awaiting_designation(case)
    may_move = holding_staff and open_case and pending is None and not awaiting
    options: dict = {}
    if may_move:
        parent = moves.parent_centre(case.holding_place)
        origin = moves.came_from(case)
        options = {
            "escalate": centre_label(parent) if parent else None,
            "delegate": [(p.pk, centre_label(p)) for p in moves.delegation_targets(case)],
            "transfer": [
                (u.pk, unit_label(u, short_path(u.place)))
                for u in eligibility.assignable_units(case)
                if nearest_centre(u.place).contains(case.place_path)
            ],
            "return": centre_label(origin) if origin else None,
        }
    may_designate = (
        awaiting and pending is None and moves.is_centre_staff(user, moves.superior_centre(case))
    )
    history = case.moves.select_related("from_place", "to_place", "unit").order_by("-id")
    return {
        "moves_panel": {
            "holding": centre_label(case.holding_place),
            "pending": pending,
            "pending_to": centre_label(pending.to_place) if pending else "",
            "pending_overdue": pending is not None and pending.sign_due_at < now,
            "may_answer": pending is not None and moves.may_answer(user, pending),
            "may_move": may_move,
            "options": options,
            "awaiting": awaiting,
            "superior": centre_label(moves.superior_centre(case)) if awaiting else "",
            "may_designate": may_designate,
            "designate_targets": [(p.pk, centre_label(p)) for p in moves.designation_targets(case)]
            if may_designate
            else [],
            "history": [
                {"move": m, "from": centre_label(m.from_place), "to": centre_label(m.to_place)}
                for m in history[:20]
            ],
            "errors": errors,
        }
    }


def _move_or_404(user, pk: int) -> CaseMove:
    move = CaseMove.objects.filter(pk=pk).first()
    if move is None:
        raise Http404("没有找到该移交")
    case_or_404(user, move.case_id)
    return move


def _back(case_id: int):
    return redirect("workbench:case_detail", pk=case_id)


def _refused(request, form_name: str, text: str) -> None:
    messages.error(request, text, extra_tags=f"form-{form_name}")


@login_required
@require_POST
def move_case(request, pk: int):
    case = case_or_404(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        _refused(request, FORM_MOVE, first_error(form))
        return _back(case.pk)
    data = form.cleaned_data
    try:
        move = moves.move_to_centre(
            case,
            data["target"],
            data["kind"],
            actor=request.user,
            reason=data["reason"],
            unit=data["unit"],
        )
    except CaseError as error:
        _refused(request, FORM_MOVE, error.message)
    else:
        messages.success(
            request, f"已{MoveKind(move.kind).label}，待{centre_label(move.to_place)}签收"
        )
    return _back(case.pk)


@login_required
@require_POST
def sign_move(request, pk: int):
    move = _move_or_404(request.user, pk)
    try:
        moves.sign_for(move, request.user)
    except CaseError as error:
        _refused(request, FORM_ANSWER, error.message)
    else:
        messages.success(request, "已签收，本中心承办该纠纷")
    return _back(move.case_id)


@login_required
@require_POST
def send_back_move(request, pk: int):
    move = _move_or_404(request.user, pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        _refused(request, FORM_ANSWER, first_error(form))
        return _back(move.case_id)
    try:
        moves.send_back(move, request.user, form.cleaned_data["reason"])
    except CaseError as error:
        _refused(request, FORM_ANSWER, error.message)
    else:
        messages.success(request, "已退回")
    return _back(move.case_id)


@login_required
@require_POST
def designate_case(request, pk: int):
    case = case_or_404(request.user, pk)
    form = DesignateForm(request.POST)
    if not form.is_valid():
        _refused(request, FORM_DESIGNATE, first_error(form))
        return _back(case.pk)
    try:
        moves.designate(
            case, form.cleaned_data["target"], request.user, form.cleaned_data["reason"]
        )
    except CaseError as error:
        _refused(request, FORM_DESIGNATE, error.message)
    else:
        messages.success(request, "已指定承办中心")
    return _back(case.pk)


urlpatterns = [
    path("cases/<int:pk>/moves/", move_case, name="move_case"),
    path("moves/<int:pk>/sign/", sign_move, name="sign_move"),
    path("moves/<int:pk>/send-back/", send_back_move, name="send_back_move"),
    path("cases/<int:pk>/designate/", designate_case, name="designate_case"),
]
