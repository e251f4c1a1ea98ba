"""Supervision cards (督办单、黄牌、红牌): issued on any open case at any step by a superior
centre, never moving the case; replied to by the lead, closed by the issuer; exactly once per
source for the escalation sweep."""

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from zongzhi.accounts.models import Role
from zongzhi.cases.choices import OPEN_STATUSES, Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.tests.test_state_machine import case_at
from zongzhi.clock.models import Deadline
from zongzhi.dispatch import cards
from zongzhi.dispatch.card_selectors import cards_to_close, cards_to_reply, open_card_counts
from zongzhi.dispatch.models import Coverage
from zongzhi.dispatch.models.cards import CardGrade, CardState, CardVerdict, SupervisionCard
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import CoverageFactory, UserFactory, make_case

SHANGHAI = "+08:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + SHANGHAI)


@pytest.fixture
def city_leader(world):
    return UserFactory(username="leader-city", role=Role.CENTRE_LEADER, place=world.city)


@pytest.fixture
def resolving(world):
    """An east case (held by the township) assigned to the justice office and met."""
    return case_at(world, Status.RESOLVE)


def issue(case, by, grade=CardGrade.ORDINARY, **kwargs):
    kwargs.setdefault("text", "已超见面时限，请加快办理")
    return cards.issue_card(case, by=by, grade=grade, **kwargs)


def nothing_written(case, events_before: int) -> bool:
    return (
        not SupervisionCard.objects.filter(case=case).exists()
        and not Deadline.objects.filter(case=case).exists()
        and case.events.count() == events_before
    )


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES))
def test_a_card_on_every_open_step_leaves_the_step_alone(world, status):
    case = case_at(world, status)
    before = Case.objects.values().get(pk=case.pk)
    card = issue(case, world.county_leader, CardGrade.RED, text="红牌督办，限期化解")
    after = Case.objects.values().get(pk=case.pk)
    assert after == before  # no field of the case moves: step, due times, clock version
    assert card.issued_at_status == status and card.state == CardState.ISSUED
    event = case.events.get(kind="card_issued")
    assert (event.from_status, event.to_status) == (status, status)
    assert event.data == {"card": card.pk, "grade": "red", "name": "红牌督办"}
    assert event.note == "红牌督办，限期化解" and not event.is_public
    assert card.reply_deadline.kind == cards.DEADLINE_KIND


@pytest.mark.parametrize("status", [Status.CLOSED, Status.REJECTED])
def test_no_card_on_an_ended_case(world, status):
    case = case_at(world, status)
    events = case.events.count()
    with pytest.raises(InvalidTransition):
        issue(case, world.county_leader)
    with pytest.raises(InvalidTransition):  # nor by the sweep
        issue(case, None, source="sweep:1:1")
    assert nothing_written(case, events)


def test_who_may_issue(world, resolving, city_leader):
    county_handler = UserFactory(
        username="county-handler", role=Role.DEPARTMENT_HANDLER, place=world.county
    )
    allowed = [world.county_leader, world.county_clerk, city_leader]
    refused = [
        world.east.leader,  # the holding centre itself
        world.east.clerk,
        world.west.leader,  # a centre beside it
        world.west.clerk,
        world.analyst,  # the county, but not intake staff
        county_handler,
        world.east.handler,
    ]
    for user in allowed:
        assert cards.may_issue_card(user, resolving), user
    for user in refused:
        assert not cards.may_issue_card(user, resolving), user
        with pytest.raises(NotPermitted):
            issue(resolving, user)
    assert resolving.cards.count() == 0


def test_a_case_held_by_the_county_is_supervised_from_above(world, city_leader):
    case = make_case(world.east.village, world.county_clerk)
    assert case.holding_place == world.county
    assert not cards.may_issue_card(world.county_leader, case)
    assert not cards.may_issue_card(world.east.leader, case)
    assert cards.may_issue_card(city_leader, case)


def test_an_inactive_superior_may_not_issue(world, resolving):
    world.county_leader.is_active = False
    world.county_leader.save()
    assert not cards.may_issue_card(world.county_leader, resolving)


def test_a_leader_covering_the_place_may_issue_and_no_other(world, resolving):
    # 包保: a court leader at the county who covers the east township (zongzhi.dispatch.coverage).
    covering = UserFactory(username="baobao", role=Role.DEPARTMENT_HANDLER, place=world.county)
    elsewhere = UserFactory(username="baobao-w", role=Role.DEPARTMENT_HANDLER, place=world.county)
    assert not cards.may_issue_card(covering, resolving)
    CoverageFactory(cadre=covering, kind="political_legal", place=world.east.place)
    CoverageFactory(cadre=elsewhere, kind="political_legal", place=world.west.place)
    assert cards.may_issue_card(covering, resolving)
    assert not cards.may_issue_card(elsewhere, resolving)
    assert issue(resolving, covering).issuing_place == world.county
    Coverage.objects.filter(cadre=covering).update(
        starts_on=date(2000, 1, 1), ends_on=date(2000, 12, 31)
    )
    assert not cards.may_issue_card(covering, resolving)


def test_default_reply_due_by_grade(world, frozen_now):
    case = case_at(world, Status.ASSESS)  # at 研判, not yet assigned
    ordinary = issue(case, world.county_clerk, CardGrade.ORDINARY)
    yellow = issue(case, world.county_clerk, CardGrade.YELLOW)
    red = issue(case, world.county_clerk, CardGrade.RED)
    # Wednesday 2026-03-11 10:00: 5, 3 and 1 working days end at 24:00 of Wed 18, Mon 16, Thu 12.
    assert ordinary.reply_deadline.due_at == at("2026-03-19T00:00:00")
    assert yellow.reply_deadline.due_at == at("2026-03-17T00:00:00")
    assert red.reply_deadline.due_at == at("2026-03-13T00:00:00")
    assert red.reply_deadline.warn_at == at("2026-03-12T00:00:00")
    assert cards.reply_by_label(red.reply_deadline.due_at) == "2026-03-12 24:00"
    assert ordinary.issuing_place == world.county and ordinary.issued_by == world.county_clerk


def test_reply_due_can_be_set_within_limits(world, resolving, frozen_now):
    card = issue(resolving, world.county_leader, reply_due_at=at("2026-03-14T00:00:00"))
    assert card.reply_deadline.due_at == at("2026-03-14T00:00:00")
    events = resolving.events.count()
    for due in (frozen_now, frozen_now - timedelta(hours=1), frozen_now + timedelta(days=60)):
        with pytest.raises(InvalidInput) as error:
            issue(resolving, world.county_leader, reply_due_at=due)
        assert error.value.field == "reply_due_at"
    assert resolving.cards.count() == 1 and resolving.events.count() == events


def test_text_and_grade_are_required(world, resolving):
    events = resolving.events.count()
    with pytest.raises(InvalidInput) as error:
        issue(resolving, world.county_leader, text="   ")
    assert error.value.field == "text"
    with pytest.raises(InvalidInput) as error:
        issue(resolving, world.county_leader, grade="purple")
    assert error.value.field == "grade"
    with pytest.raises(InvalidInput):
        issue(resolving, world.county_leader, text="督" * 2001)
    assert nothing_written(resolving, events)


def test_issuing_tells_the_lead_and_the_holding_leaders(world, resolving):
    card = issue(resolving, world.county_leader, CardGrade.YELLOW)
    told = set(
        Message.objects.filter(kind=Kind.CARD_ISSUED, case=resolving).values_list(
            "recipient_user__username", flat=True
        )
    )
    assert told == {world.east.handler.username, world.east.leader.username}
    text = Message.objects.filter(kind=Kind.CARD_ISSUED).first().text
    assert "黄牌督办" in text and cards.reply_by_label(card.reply_deadline.due_at) in text


def test_the_lead_replies_once_and_the_issuer_closes(world, resolving):
    card = issue(resolving, world.county_leader)
    status = resolving.status
    with pytest.raises(InvalidTransition):  # no close before the reply
        cards.close_card(card, by=world.county_leader, verdict=CardVerdict.SATISFIED)
    with pytest.raises(InvalidInput):
        cards.reply_to_card(card, by=world.east.handler, reply="  ")
    event = cards.reply_to_card(card, by=world.east.handler, reply="已组织调解，三日内签订协议")
    assert event.kind == "card_replied" and event.to_status == status
    card.refresh_from_db()
    assert card.state == CardState.REPLIED and card.replied_by == world.east.handler
    assert card.reply_deadline.met_at == card.replied_at
    assert Message.objects.filter(
        kind=Kind.CARD_REPLIED, recipient_user=world.county_leader
    ).exists()
    with pytest.raises(InvalidTransition):
        cards.reply_to_card(card, by=world.east.leader, reply="再次回复")

    with pytest.raises(NotPermitted):
        cards.close_card(card, by=world.east.leader, verdict=CardVerdict.SATISFIED)
    with pytest.raises(InvalidInput) as error:  # 不满意 needs its reason
        cards.close_card(card, by=world.county_leader, verdict=CardVerdict.UNSATISFIED)
    assert error.value.field == "note"
    with pytest.raises(InvalidInput) as error:
        cards.close_card(card, by=world.county_leader, verdict="")
    assert error.value.field == "verdict"
    event = cards.close_card(
        card, by=world.county_leader, verdict=CardVerdict.UNSATISFIED, note="措施不具体"
    )
    assert event.kind == "card_closed" and event.note == "不满意。措施不具体"
    card.refresh_from_db()
    assert card.state == CardState.CLOSED and card.verdict == CardVerdict.UNSATISFIED
    assert Message.objects.filter(kind=Kind.CARD_CLOSED, recipient_user=world.east.handler)
    with pytest.raises(InvalidTransition):
        cards.close_card(card, by=world.county_leader, verdict=CardVerdict.SATISFIED)
    resolving.refresh_from_db()
    assert resolving.status == status


def test_who_may_reply(world, resolving):
    card = issue(resolving, world.county_leader)
    west_handler = world.west.handler
    for user in (west_handler, world.east.clerk, world.county_clerk, world.east.grid_worker):
        assert not cards.may_reply_to_card(user, card), user
        with pytest.raises(NotPermitted):
            cards.reply_to_card(card, by=user, reply="回复")
    assert cards.may_reply_to_card(world.east.handler, card)  # a member of the lead unit
    cards.reply_to_card(card, by=world.east.leader, reply="中心领导代为回复")  # holding leader


def test_before_assignment_the_holding_leaders_reply(world):
    case = case_at(world, Status.ASSESS)
    card = issue(case, world.county_clerk)
    assert not cards.may_reply_to_card(world.east.handler, card)
    cards.reply_to_card(card, by=world.east.leader, reply="今日交办司法所")
    # The issuing centre's leader may close a card their clerk issued.
    assert not cards.may_close_card(world.west.leader, card)
    cards.close_card(card, by=world.county_leader, verdict=CardVerdict.SATISFIED)
    case.refresh_from_db()
    assert case.status == Status.ASSESS


def test_the_sweep_issues_once_per_source(world, resolving):
    first = cards.issue_card(
        resolving, by=None, grade=CardGrade.RED, text="化解超期，自动红牌督办", source="sweep:7:1"
    )
    counts = (
        SupervisionCard.objects.count(),
        Deadline.objects.count(),
        CaseEvent.objects.filter(case=resolving).count(),
        Message.objects.count(),
    )
    again = cards.issue_card(
        resolving, by=None, grade=CardGrade.RED, text="化解超期，自动红牌督办", source="sweep:7:1"
    )
    assert again.pk == first.pk
    assert counts == (
        SupervisionCard.objects.count(),
        Deadline.objects.count(),
        CaseEvent.objects.filter(case=resolving).count(),
        Message.objects.count(),
    )
    other = cards.issue_card(
        resolving, by=None, grade=CardGrade.RED, text="再次超期", source="sweep:7:2"
    )
    assert other.pk != first.pk
    # In the name of the centre above the holding township; no issuer.
    assert first.issuing_place == world.county and first.issued_by is None
    event = resolving.events.filter(kind="card_issued").first()
    assert event.actor is None and event.actor_label == "红塔区综治中心（自动督办）"


def test_the_database_decides_a_duplicate_source(world, resolving):
    card = cards.issue_card(resolving, by=None, grade="ordinary", text="超期", source="s:1")
    when = card.issued_at
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionCard.objects.create(
            case=resolving,
            grade="ordinary",
            text="重复",
            issued_at_status=resolving.status,
            issuing_place=world.county,
            issued_at=card.issued_at,
            reply_deadline=Deadline.objects.create(
                case=resolving, kind="x", label="x", due_at=when, created_at=when
            ),
            source="s:1",
        )
    # Cards without a source are not limited.
    issue(resolving, world.county_leader)
    issue(resolving, world.county_leader)
    assert resolving.cards.count() == 3


def test_the_sweep_at_the_top_issues_in_the_holding_centres_name(world):
    case = make_case(world.east.village, world.county_clerk)
    case.holding_place = world.city
    case.save(update_fields=["holding_place"])
    card = cards.issue_card(case, by=None, grade="yellow", text="超期", source="sweep:1:1")
    assert card.issuing_place == world.city
    named = cards.issue_card(
        case, by=None, grade="yellow", text="超期", source="sweep:1:2", issuing_place=world.county
    )
    assert named.issuing_place == world.county


def test_a_sweep_card_is_closed_by_the_issuing_centres_leader(world, resolving):
    card = cards.issue_card(resolving, by=None, grade="red", text="超期", source="sweep:1:1")
    cards.reply_to_card(card, by=world.east.handler, reply="已化解")
    assert Message.objects.filter(
        kind=Kind.CARD_REPLIED, recipient_user=world.county_leader
    ).exists()
    assert not cards.may_close_card(world.county_clerk, card)
    assert cards.may_close_card(world.county_leader, card)


def test_home_lists_and_area_counts(world, resolving, city_leader):
    assessing = case_at(world, Status.ASSESS)
    west = make_case(world.west.village, world.west.clerk)
    red = issue(resolving, world.county_leader, CardGrade.RED)
    issue(assessing, world.county_clerk, CardGrade.YELLOW)
    issue(west, city_leader, CardGrade.YELLOW)
    closed = issue(resolving, world.county_leader)
    cards.reply_to_card(closed, by=world.east.handler, reply="已办")
    cards.close_card(closed, by=world.county_leader, verdict="satisfied")

    visible = Case.objects.workable_by(world.east.handler)
    assert list(cards_to_reply(world.east.handler, visible)) == [red]
    leader_visible = Case.objects.visible_to(world.east.leader)
    assert {c.case_id for c in cards_to_reply(world.east.leader, leader_visible)} == {
        resolving.pk,
        assessing.pk,
    }
    assert list(cards_to_reply(world.west.handler, Case.objects.all())) == []
    cards.reply_to_card(red, by=world.east.handler, reply="已办")
    assert list(cards_to_close(world.county_leader)) == [red]
    assert list(cards_to_close(world.county_clerk)) == []

    assert open_card_counts(world.county) == {"ordinary": 0, "yellow": 2, "red": 1, "total": 3}
    assert open_card_counts(world.east.place) == {
        "ordinary": 0,
        "yellow": 1,
        "red": 1,
        "total": 2,
    }
    assert open_card_counts(world.west.village)["total"] == 1
