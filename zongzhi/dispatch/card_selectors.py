"""Reads of supervision cards: a case's cards and their summary, the home page's lists (cards to
reply to, cards to close) and the open cards of an area by grade (for the home and the command
screen). The rules of who may do what stay in zongzhi.dispatch.cards."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zongzhi.accounts.models import DIRECTING_ROLES
from zongzhi.cases.models import Case, CaseAssignment
from zongzhi.cases.selectors import under_place
from zongzhi.dispatch.models.cards import (
    GRADE_SEVERITY,
    OPEN_CARD_STATES,
    CardGrade,
    CardState,
    SupervisionCard,
)
from zongzhi.places.models import Place

HOME_LIMIT = 50


def _with_relations(cards: QuerySet) -> QuerySet:
    return cards.select_related(
        "case", "reply_deadline", "issued_by", "issuing_place", "replied_by", "closed_by"
    )


def cards_of(case: Case) -> list[SupervisionCard]:
    """The case's cards, the newest first."""
    return list(_with_relations(case.cards.all()).order_by("-issued_at", "-id"))


@dataclass(frozen=True)
class CardSummary:
    count: int
    open_count: int
    worst: CardGrade | None  # the heaviest grade among all its cards

    @property
    def issued(self) -> bool:
        return self.count > 0


def summarise(cards: list[SupervisionCard]) -> CardSummary:
    """How many cards, how many still open, and the worst grade (for the nine steps)."""
    grades = {card.grade for card in cards}
    worst = next((grade for grade in GRADE_SEVERITY if grade in grades), None)
    open_count = sum(1 for card in cards if card.state in OPEN_CARD_STATES)
    return CardSummary(count=len(cards), open_count=open_count, worst=worst)


def _leads_q(user) -> Q:
    """Cases whose active lead is `user` or their unit (as case ids, read first)."""
    mine = Q(assignee_id=user.pk)
    if user.unit_id:
        mine |= Q(unit_id=user.unit_id)
    lead = CaseAssignment.objects.filter(mine, kind=CaseAssignment.Kind.LEAD, ended_at=None)
    return Q(case_id__in=sorted(set(lead.values_list("case_id", flat=True))))


def cards_to_reply(user, visible: QuerySet) -> QuerySet:
    """Cards awaiting a reply on cases `user` or their unit lead, or (for a leader) that their
    centre holds; among the `visible` cases, the soonest due first."""
    mine = _leads_q(user)
    if user.role in DIRECTING_ROLES and user.place_id is not None:
        mine |= Q(case__holding_place_id=user.place_id)
    cards = SupervisionCard.objects.filter(mine, state=CardState.ISSUED, case__in=visible)
    return _with_relations(cards).order_by("reply_deadline__due_at", "id")


def cards_to_close(user) -> QuerySet:
    """Replied cards `user` issued, or (for a leader) that their centre issued without an
    issuer: theirs to close (销号), the oldest reply first."""
    mine = Q(issued_by_id=user.pk)
    if user.role in DIRECTING_ROLES and user.place_id is not None:
        mine |= Q(issuing_place_id=user.place_id, issued_by__isnull=True)
    cards = SupervisionCard.objects.filter(mine, state=CardState.REPLIED)
    return _with_relations(cards).order_by("replied_at", "id")


def open_card_counts(place: Place) -> dict[str, int]:
    """Open cards (not yet closed) on the cases at `place` or below, by grade, with "total"."""
    cases = under_place(Case.objects.all(), place)
    rows = (
        SupervisionCard.objects.filter(state__in=OPEN_CARD_STATES, case__in=cases)
        .values("grade")
        .annotate(n=Count("id"))
    )
    counted = {row["grade"]: row["n"] for row in rows}
    counts = {grade.value: counted.get(grade.value, 0) for grade in CardGrade}
    counts["total"] = sum(counts.values())
    return counts


def home_cards(user, visible: QuerySet) -> dict:
    """The home page's cards: to reply (each with `reply_by` and `late`), to close, and (for
    leaders) the area's open cards by grade."""
    from zongzhi.dispatch.cards import reply_by_label

    now = timezone.now()
    to_reply = list(cards_to_reply(user, visible)[:HOME_LIMIT])
    for card in to_reply:
        card.reply_by = reply_by_label(card.reply_deadline.due_at)
        card.late = card.reply_deadline.due_at < now
    return {
        "cards_to_reply": to_reply,
        "cards_to_close": list(cards_to_close(user)[:HOME_LIMIT]),
        "card_counts": (
            open_card_counts(user.place)
            if user.role in DIRECTING_ROLES and user.place_id is not None
            else None
        ),
    }
