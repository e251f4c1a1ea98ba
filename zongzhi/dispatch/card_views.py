"""Supervision cards on the case page (the nine steps with 督办 marked, the cards panel and its
forms) and the POSTs behind the forms: issue, reply, close. Each POST loads the case through
the one scoping function (404 outside the user's reach), calls one service of dispatch.cards
and redirects back; a refusal becomes a Chinese message tagged with its form."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from zongzhi.cases.choices import Status
from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case
from zongzhi.clock import tracking
from zongzhi.clock.calendar import end_of
from zongzhi.dispatch import cards
from zongzhi.dispatch.card_selectors import CardSummary, cards_of, summarise
from zongzhi.dispatch.models.cards import CardGrade, CardVerdict, SupervisionCard
from zongzhi.lib.forms import CleanInputMixin, StrictDateField
from zongzhi.workbench.case_actions import back_to_case
from zongzhi.workbench.forms import first_error
from zongzhi.workbench.selectors import case_or_404

FORM_ISSUE = "dispatch-cards-issue"
FORM_REPLY = "dispatch-cards-reply"
FORM_CLOSE = "dispatch-cards-close"
# The nine steps as the seeds name them (会泽 9 步); 督办 is marked by cards, not a state.
SUPERVISION = "supervision"
NINE_STEPS = (
    (Status.VISIT, "走访"),
    (Status.SCREEN, "排查"),
    (Status.REPORT, "上报"),
    (Status.ASSESS, "研判"),
    (Status.ASSIGN, "交办"),
    (Status.RESOLVE, "化解"),
    (Status.STABILISE, "稳控"),
    (SUPERVISION, "督办"),
    (Status.FOLLOW_UP, "回访"),
)
CHOICE_MESSAGES = {
    "required": "请选择督办等级",
    "invalid_choice": "督办等级只能为督办单、黄牌或红牌",
}


class IssueCardForm(CleanInputMixin, forms.Form):
    grade = forms.ChoiceField(choices=CardGrade.choices, error_messages=CHOICE_MESSAGES)
    text = forms.CharField(
        max_length=cards.MAX_TEXT,
        error_messages={"required": "请填写督办要求", "max_length": "督办要求不能超过2000字"},
    )
    reply_by = StrictDateField(
        required=False, error_messages={"invalid": "回复时限须为日期（年-月-日）"}
    )


class ReplyCardForm(CleanInputMixin, forms.Form):
    reply = forms.CharField(
        max_length=cards.MAX_TEXT,
        error_messages={"required": "请填写书面回复", "max_length": "书面回复不能超过2000字"},
    )


class CloseCardForm(CleanInputMixin, forms.Form):
    verdict = forms.ChoiceField(
        choices=[c for c in CardVerdict.choices if c[0]],
        error_messages={
            "required": "请选择销号评价：满意或不满意",
            "invalid_choice": "请选择销号评价：满意或不满意",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=cards.MAX_TEXT,
        error_messages={"max_length": "销号意见不能超过2000字"},
    )


def nine_steps(case: Case, summary: CardSummary) -> list[dict]:
    """The nine steps, each done, current or to come; 督办 marked when a card was issued."""
    visited = set(case.events.values_list("to_status", flat=True))
    rows = []
    for step, label in NINE_STEPS:
        if step == SUPERVISION:
            state = "card" if summary.issued else "todo"
            rows.append({"label": label, "state": state, "summary": summary})
            continue
        if step == case.status:
            state = "current"
        elif step in visited:
            state = "done"
        else:
            state = "todo"
        rows.append({"label": label, "state": state})
    return rows


def _card_row(card: SupervisionCard, user, now) -> dict:
    deadline = card.reply_deadline
    state = tracking.state_of(deadline, now)
    return {
        "card": card,
        "issuer": cards.issuer_label(card.issued_by, card.issuing_place),
        "issued_at_status": Status(card.issued_at_status).label
        if card.issued_at_status in Status.values
        else card.issued_at_status,
        "reply_by": cards.reply_by_label(deadline.due_at),
        "deadline_state": state.value,
        "deadline_label": tracking.STATE_LABELS[state],
        "may_reply": cards.may_reply_to_card(user, card),
        "may_close": cards.may_close_card(user, card),
    }


def cards_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """Context of dispatch/_steps.html and dispatch/_cards.html. The errors of a form the
    page does not show (e.g. a refused issue) stay in `form_errors` for the page's own list."""
    user, now = request.user, timezone.now()
    listed = cards_of(case)
    summary = summarise(listed)
    may_issue = cards.may_issue_card(user, case)

    def errors(name: str, shown: bool) -> list[str]:
        return form_errors.pop(name, []) if shown else []

    return {
        "card_steps": nine_steps(case, summary),
        "card_summary": summary,
        "cards_panel": {
            "rows": [_card_row(card, user, now) for card in listed],
            "may_issue": may_issue,
            "grades": CardGrade.choices,
            "default_days": [
                (CardGrade(grade).label, days) for grade, days in cards.REPLY_WORKING_DAYS.items()
            ],
            "verdicts": [c for c in CardVerdict.choices if c[0]],
            "errors": {
                "issue": errors(FORM_ISSUE, may_issue),
                "reply": errors(FORM_REPLY, bool(listed)),
                "close": errors(FORM_CLOSE, bool(listed)),
            },
        },
    }


def _card_or_404(case: Case, card_id: int) -> SupervisionCard:
    card = case.cards.select_related("case", "reply_deadline").filter(pk=card_id).first()
    if card is None:
        raise Http404("没有找到该督办单")
    return card


def _done(request, case: Case, form_name: str, error: str | None, success: str):
    return back_to_case(request, case, form_name, error, success)


@login_required
@require_POST
def issue(request, pk: int):
    case = case_or_404(request.user, pk)
    form = IssueCardForm(request.POST)
    if not form.is_valid():
        return _done(request, case, FORM_ISSUE, first_error(form), "")
    data = form.cleaned_data
    due = end_of(data["reply_by"]) if data["reply_by"] else None
    try:
        card = cards.issue_card(
            case, by=request.user, grade=data["grade"], text=data["text"], reply_due_at=due
        )
    except CaseError as error:
        return _done(request, case, FORM_ISSUE, error.message, "")
    return _done(request, case, FORM_ISSUE, None, f"已发出{card.get_grade_display()}")


@login_required
@require_POST
def reply(request, pk: int, card_id: int):
    case = case_or_404(request.user, pk)
    card = _card_or_404(case, card_id)
    form = ReplyCardForm(request.POST)
    if not form.is_valid():
        return _done(request, case, FORM_REPLY, first_error(form), "")
    try:
        cards.reply_to_card(card, by=request.user, reply=form.cleaned_data["reply"])
    except CaseError as error:
        return _done(request, case, FORM_REPLY, error.message, "")
    return _done(request, case, FORM_REPLY, None, "督办回复已提交")


@login_required
@require_POST
def close(request, pk: int, card_id: int):
    case = case_or_404(request.user, pk)
    card = _card_or_404(case, card_id)
    form = CloseCardForm(request.POST)
    if not form.is_valid():
        return _done(request, case, FORM_CLOSE, first_error(form), "")
    data = form.cleaned_data
    try:
        cards.close_card(card, by=request.user, verdict=data["verdict"], note=data["note"])
    except CaseError as error:
        return _done(request, case, FORM_CLOSE, error.message, "")
    return _done(request, case, FORM_CLOSE, None, "督办单已销号")


urlpatterns = [
    path("cases/<int:pk>/cards/issue/", issue, name="card_issue"),
    path("cases/<int:pk>/cards/<int:card_id>/reply/", reply, name="card_reply"),
    path("cases/<int:pk>/cards/<int:card_id>/close/", close, name="card_close"),
]
