"""Supervision cards (督办单、黄牌、红牌) through the API: list a case's cards, issue one, reply
to one, close one. Every endpoint loads the case through `case_for_user` (404 outside the
caller's reach); the rules are dispatch.cards' (403 not permitted, 409 wrong state, 422 bad
input, all in the one error shape)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zongzhi.api import present
from zongzhi.api.errors import ApiError
from zongzhi.api.inputs import CleanDate, InputSchema
from zongzhi.api.schemas import ErrorOut, EventOut
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import case_for_user
from zongzhi.clock import tracking
from zongzhi.clock.calendar import end_of
from zongzhi.dispatch import cards
from zongzhi.dispatch.card_selectors import cards_of
from zongzhi.dispatch.models.cards import CardGrade, CardVerdict, SupervisionCard
from zongzhi.privacy.masking import mask_free_text

router = Router(tags=["督办"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CardOut(Schema):
    id: int
    grade: CardGrade
    grade_label: str
    state: str = Field(
        ..., description="issued（待回复）、replied（已回复待销号）或 closed（已销号）"
    )
    state_label: str
    text: str
    issued_at_status: str = Field(..., description="督办时纠纷所处环节（督办不改变环节）")
    issuer: str
    issued_by: str | None = Field(None, description="督办人用户名；自动督办时为空")
    issuing_place: str
    issued_at: datetime
    reply_due_at: datetime
    reply_deadline_state: str = Field(
        ..., description="pending、warning（临期）、late（超期）、met、met_late"
    )
    reply: str
    replied_by: str | None
    replied_at: datetime | None
    verdict: str = Field(..., description="satisfied（满意）、unsatisfied（不满意）或空")
    close_note: str
    closed_by: str | None
    closed_at: datetime | None
    may_reply: bool
    may_close: bool


class CardsOut(Schema):
    may_issue: bool
    cards: list[CardOut]


class CardIssueIn(InputSchema):
    grade: CardGrade = Field(..., description="ordinary（督办单）、yellow（黄牌）或 red（红牌）")
    text: str = Field("", max_length=2000, description="督办要求（必填）")
    reply_by: CleanDate | None = Field(
        None, description="回复时限（当日24时止）；不填按等级默认：督办单5、黄牌3、红牌1个工作日"
    )


class CardReplyIn(InputSchema):
    reply: str = Field("", max_length=2000, description="书面回复（必填）")


class CardCloseIn(InputSchema):
    verdict: str = Field(
        ..., max_length=20, description="satisfied（满意）或 unsatisfied（不满意）"
    )
    note: str = Field("", max_length=2000, description="销号意见（不满意时必填）")


class CardChangeOut(Schema):
    card: CardOut
    event: EventOut | None


def _username(user) -> str | None:
    return user.username if user is not None else None


def card_out(card: SupervisionCard, user) -> dict:
    deadline = card.reply_deadline
    return {
        "id": card.pk,
        "grade": card.grade,
        "grade_label": card.get_grade_display(),
        "state": card.state,
        "state_label": card.get_state_display(),
        "text": mask_free_text(card.text),
        "issued_at_status": card.issued_at_status,
        "issuer": cards.issuer_label(card.issued_by, card.issuing_place),
        "issued_by": _username(card.issued_by),
        "issuing_place": card.issuing_place.name,
        "issued_at": card.issued_at,
        "reply_due_at": deadline.due_at,
        "reply_deadline_state": tracking.state_of(deadline).value,
        "reply": mask_free_text(card.reply),
        "replied_by": _username(card.replied_by),
        "replied_at": card.replied_at,
        "verdict": card.verdict,
        "close_note": mask_free_text(card.close_note),
        "closed_by": _username(card.closed_by),
        "closed_at": card.closed_at,
        "may_reply": cards.may_reply_to_card(user, card),
        "may_close": cards.may_close_card(user, card),
    }


def _card(case: Case, card_id: int) -> SupervisionCard:
    card = case.cards.select_related("case").filter(pk=card_id).first()
    if card is None:
        raise ApiError(404, "not_found", "未找到该督办单")
    return card


def _reloaded(card_id: int) -> SupervisionCard:
    related = ("case", "reply_deadline", "issued_by", "issuing_place", "replied_by", "closed_by")
    return SupervisionCard.objects.select_related(*related).get(pk=card_id)


@router.get("/cases/{case_id}/cards", response={200: CardsOut, **ERRORS}, summary="督办单列表")
def list_cards(request: HttpRequest, case_id: int):
    case = case_for_user(request.auth, case_id)
    return {
        "may_issue": cards.may_issue_card(request.auth, case),
        "cards": [card_out(card, request.auth) for card in cards_of(case)],
    }


@router.post("/cases/{case_id}/cards", response={201: CardChangeOut, **ERRORS}, summary="发出督办")
def issue_card(request: HttpRequest, case_id: int, payload: CardIssueIn):
    case = case_for_user(request.auth, case_id)
    due = end_of(payload.reply_by) if payload.reply_by is not None else None
    card = cards.issue_card(
        case, by=request.auth, grade=payload.grade, text=payload.text, reply_due_at=due
    )
    event = case.events.filter(kind="card_issued", data__card=card.pk).first()
    return 201, {
        "card": card_out(_reloaded(card.pk), request.auth),
        "event": present.event_out(event) if event else None,
    }


@router.post(
    "/cases/{case_id}/cards/{card_id}/reply",
    response={200: CardChangeOut, **ERRORS},
    summary="回复督办",
)
def reply_card(request: HttpRequest, case_id: int, card_id: int, payload: CardReplyIn):
    case = case_for_user(request.auth, case_id)
    card = _card(case, card_id)
    event = cards.reply_to_card(card, by=request.auth, reply=payload.reply)
    return {"card": card_out(_reloaded(card.pk), request.auth), "event": present.event_out(event)}


@router.post(
    "/cases/{case_id}/cards/{card_id}/close",
    response={200: CardChangeOut, **ERRORS},
    summary="督办销号",
)
def close_card(request: HttpRequest, case_id: int, card_id: int, payload: CardCloseIn):
    case = case_for_user(request.auth, case_id)
    card = _card(case, card_id)
    if payload.verdict not in (CardVerdict.SATISFIED, CardVerdict.UNSATISFIED):
        raise ApiError(422, "invalid_input", "请选择销号评价：满意或不满意", "verdict")
    event = cards.close_card(card, by=request.auth, verdict=payload.verdict, note=payload.note)
    return {"card": card_out(_reloaded(card.pk), request.auth), "event": present.event_out(event)}
