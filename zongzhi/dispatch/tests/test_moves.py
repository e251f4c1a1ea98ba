"""Moves between centres: each move with its event and sign-for deadline, signing, sending
back twice and designation, who may do what, and the 13715 clock left alone."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from zongzhi.accounts.models import Role
from zongzhi.cases import deadlines, services
from zongzhi.cases.choices import Outcome
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import moves
from zongzhi.dispatch.models.moves import CaseMove, MoveKind, MoveState
from zongzhi.intake.services import public_timeline
from zongzhi.places.models import Level
from zongzhi.testing.factories import UnitFactory, UserFactory, make_case

CLOCK_FIELDS = ("reported_at", "accept_due_at", "meet_due_at", "resolve_due_at", "close_due_at")


@pytest.fixture
def case(world):
    return make_case(world.east.village, world.east.clerk)


def _escalate(case, world, reason="人数众多，风险高"):
    return moves.move_to_centre(
        case, None, MoveKind.ESCALATE, actor=world.east.clerk, reason=reason
    )


def test_escalate_is_pending_until_signed_and_the_deadline_is_one_working_day(case, world):
    now = timezone.now()
    move = moves.move_to_centre(
        case, world.county, "escalate", actor=world.east.clerk, reason="涉及30人", now=now
    )
    assert move.state == MoveState.PENDING and move.to_place == world.county
    assert move.sign_due_at == deadlines.current_calendar().add_days(now, 1)
    case.refresh_from_db()
    assert case.holding_place == world.east.place  # holding changes at signing only
    event = case.events.get(kind="move_escalate")
    assert event.note == "涉及30人" and not event.is_public and event.label == "提级"

    moves.sign_for(move, world.county_clerk)
    case.refresh_from_db()
    assert case.holding_place == world.county
    assert CaseMove.objects.get(pk=move.pk).state == MoveState.SIGNED
    assert case.events.filter(kind="move_signed", is_public=False).exists()
    taken = case.events.get(kind="taken_county")
    assert taken.is_public and taken.label == "已转县级综治中心办理"


def test_delegate_goes_down_to_a_centre_on_the_way_to_the_place(world):
    case = make_case(world.east.grid, world.county_clerk)
    assert case.holding_place == world.county
    assert moves.delegation_targets(case) == [world.east.place, world.east.village]
    with pytest.raises(InvalidInput):  # not on the way to the case's place
        moves.move_to_centre(
            case, world.west.place, "delegate", actor=world.county_clerk, reason="x"
        )
    move = moves.move_to_centre(
        case, world.east.village, "delegate", actor=world.county_clerk, reason="村里能办"
    )
    moves.sign_for(move, UserFactory(role=Role.WINDOW_CLERK, place=world.east.village))
    case.refresh_from_db()
    assert case.holding_place == world.east.village
    assert case.events.get(kind="move_delegate").note == "村里能办"
    assert case.events.filter(kind="taken_village", is_public=True).exists()


def test_transfer_to_a_unit_moves_to_the_units_centre_and_its_members_may_sign(case, world):
    court = UnitFactory(name="县法院", place=world.county)
    judge = UserFactory(role=Role.DEPARTMENT_HANDLER, place=world.county, unit=court)
    move = moves.move_to_centre(
        case, None, "transfer", actor=world.east.clerk, reason="须诉讼", unit=court
    )
    assert move.to_place == world.county and move.unit == court
    assert case.events.get(kind="move_transfer").data["unit"] == "县法院"
    moves.sign_for(move, judge)
    case.refresh_from_db()
    assert case.holding_place == world.county
    assert case.events.get(kind="taken_unit").label == "已转相关部门办理"


def test_transfer_refuses_a_unit_that_may_not_take_the_case(case, world):
    with pytest.raises(InvalidInput) as refused:
        moves.move_to_centre(
            case, None, "transfer", actor=world.east.clerk, reason="x", unit=world.west.unit
        )
    assert refused.value.field == "unit"
    with pytest.raises(InvalidInput):
        moves.move_to_centre(case, None, "transfer", actor=world.east.clerk, reason="x")
    assert not CaseMove.objects.exists()


def test_return_goes_back_to_the_centre_it_came_from(case, world):
    with pytest.raises(InvalidTransition):  # registered here: nowhere to return to
        moves.move_to_centre(case, None, "return", actor=world.east.clerk, reason="x")
    moves.sign_for(_escalate(case, world), world.county_clerk)
    move = moves.move_to_centre(
        case, None, "return", actor=world.county_leader, reason="乡镇可自行化解"
    )
    assert move.to_place == world.east.place
    moves.sign_for(move, world.east.leader)
    case.refresh_from_db()
    assert case.holding_place == world.east.place
    assert case.events.get(kind="move_return").note == "乡镇可自行化解"
    assert case.events.filter(kind="taken_township", is_public=True).exists()


def test_a_move_needs_a_reason_and_an_open_case_and_no_pending_move(case, world):
    with pytest.raises(InvalidInput) as refused:
        _escalate(case, world, reason="  ")
    assert refused.value.field == "reason"
    _escalate(case, world)
    with pytest.raises(InvalidTransition):
        _escalate(case, world)
    with pytest.raises(InvalidInput):
        moves.move_to_centre(case, None, "designate", actor=world.east.clerk, reason="x")
    with pytest.raises(InvalidInput):
        moves.move_to_centre(case, None, "sideways", actor=world.east.clerk, reason="x")


def test_at_most_one_pending_move_per_case_in_the_database(case, world):
    move = _escalate(case, world)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseMove.objects.create(
            case=case,
            kind=MoveKind.ESCALATE,
            from_place=move.from_place,
            to_place=move.to_place,
            reason="x",
            moved_at=move.moved_at,
            sign_due_at=move.sign_due_at,
        )


def test_the_city_cannot_escalate(world):
    case = make_case(world.east.village, UserFactory(role=Role.CENTRE_LEADER, place=world.city))
    assert case.holding_place == world.city
    with pytest.raises(InvalidTransition):
        moves.move_to_centre(case, None, "escalate", actor=case.created_by, reason="x")


def test_a_concluded_case_does_not_move(case, world):
    clerk, handler = world.east.clerk, world.east.handler
    services.transition(case, Action.ACCEPT, actor=clerk)
    services.transition(case, Action.ASSIGN, actor=clerk, unit=world.east.unit)
    services.transition(case, Action.MEET, actor=handler)
    services.transition(case, Action.CONCLUDE, actor=handler, outcome=Outcome.RESOLVED, note="好")
    services.transition(case, Action.CLOSE, actor=clerk, note="回访满意")
    with pytest.raises(InvalidTransition):
        _escalate(case, world)


@pytest.mark.parametrize("who", ["handler", "grid_worker", "west_clerk", "county_clerk", "analyst"])
def test_only_the_holding_centres_intake_staff_move(case, world, who):
    actor = {
        "handler": world.east.handler,
        "grid_worker": world.east.grid_worker,
        "west_clerk": world.west.clerk,
        "county_clerk": world.county_clerk,
        "analyst": world.analyst,
    }[who]
    with pytest.raises(NotPermitted):
        moves.move_to_centre(case, None, "escalate", actor=actor, reason="x")
    assert not CaseMove.objects.exists()


def test_only_the_receiving_centre_signs_or_sends_back(case, world):
    move = _escalate(case, world)
    for outsider in (world.east.clerk, world.west.leader, world.analyst, world.east.handler):
        with pytest.raises(NotPermitted):
            moves.sign_for(move, outsider)
        with pytest.raises(NotPermitted):
            moves.send_back(move, outsider, "不归我们")
    moves.sign_for(move, world.county_leader)
    with pytest.raises(InvalidTransition):  # answered already
        moves.send_back(move, world.county_clerk, "x")


def test_two_send_backs_then_the_superior_designates_and_the_designee_must_sign(world):
    county_case = make_case(world.east.village, world.county_clerk)
    # The township sends it back twice: the city (parent of the county) designates.
    for _ in range(2):
        move = moves.move_to_centre(
            county_case, world.east.place, "delegate", actor=world.county_clerk, reason="乡镇办"
        )
        with pytest.raises(InvalidInput):
            moves.send_back(move, world.east.clerk, "")
        moves.send_back(move, world.east.clerk, "本所人手不足")
    assert county_case.events.filter(kind="move_sent_back").count() == 2
    last = county_case.events.filter(kind="move_sent_back").last()
    assert last.note == "本所人手不足" and last.data["awaiting_designation"] is True
    county_case.refresh_from_db()
    assert county_case.holding_place == world.county
    assert moves.awaiting_designation(county_case)
    assert moves.superior_centre(county_case) == world.city
    with pytest.raises(InvalidTransition):  # the holding centre may not move it any more
        moves.move_to_centre(
            county_case, world.east.place, "delegate", actor=world.county_clerk, reason="再试"
        )
    city_leader = UserFactory(role=Role.CENTRE_LEADER, place=world.city)
    with pytest.raises(NotPermitted):  # the county is not its own superior
        moves.designate(county_case, world.east.place, world.county_leader, "定了")
    with pytest.raises(InvalidInput):
        moves.designate(county_case, world.west.place, city_leader, "定了")
    with pytest.raises(InvalidInput):
        moves.designate(county_case, world.east.place, city_leader, " ")
    move = moves.designate(county_case, world.east.place, city_leader, "属地管理，由街道承办")
    assert move.binding and move.state == MoveState.PENDING
    assert county_case.events.get(kind="move_designate").note == "属地管理，由街道承办"
    with pytest.raises(InvalidTransition):
        moves.send_back(move, world.east.clerk, "还是不办")
    moves.sign_for(move, world.east.clerk)
    county_case.refresh_from_db()
    assert county_case.holding_place == world.east.place
    assert not moves.awaiting_designation(county_case)


def test_designating_the_holding_centre_itself_takes_effect_at_once(world):
    case = make_case(world.east.village, world.east.clerk)
    for _ in range(2):
        moves.send_back(_escalate(case, world), world.county_clerk, "乡镇能办")
    with pytest.raises(InvalidTransition):
        _escalate(case, world)
    move = moves.designate(case, world.east.place, world.county_leader, "由街道继续办理")
    assert move.state == MoveState.SIGNED
    assert not moves.awaiting_designation(case)
    _escalate(case, world)  # moves are possible again


def test_designation_is_refused_before_two_send_backs(case, world):
    moves.send_back(_escalate(case, world), world.county_clerk, "乡镇能办")
    with pytest.raises(InvalidTransition):
        moves.designate(case, world.county, world.county_leader, "县里办")


def test_moves_never_restart_the_13715_clock(case, world):
    before = {name: getattr(case, name) for name in CLOCK_FIELDS}
    later = timezone.now() + timedelta(hours=5)
    move = moves.move_to_centre(
        case, None, "escalate", actor=world.east.clerk, reason="x", now=later
    )
    moves.sign_for(move, world.county_clerk, now=later + timedelta(hours=1))
    back = moves.move_to_centre(case, None, "return", actor=world.county_clerk, reason="y")
    moves.send_back(back, world.east.clerk, "z")
    case.refresh_from_db()
    assert {name: getattr(case, name) for name in CLOCK_FIELDS} == before


def test_the_level_at_conclusion_is_county_after_escalation(case, world):
    moves.sign_for(_escalate(case, world), world.county_clerk)
    clerk = world.county_clerk
    services.transition(case, Action.ACCEPT, actor=clerk)
    services.transition(case, Action.ASSIGN, actor=clerk, unit=world.east.unit)
    services.transition(case, Action.MEET, actor=world.east.handler)
    services.transition(
        case, Action.CONCLUDE, actor=world.east.handler, outcome=Outcome.RESOLVED, note="调解成功"
    )
    case.refresh_from_db()
    assert case.concluded_holding_place == world.county
    assert case.concluded_level == Level.COUNTY


def test_the_citizens_timeline_shows_the_neutral_label_and_no_reasons_or_names(case, world):
    world.county_clerk.display_name = "李四明"
    world.county_clerk.save()
    moves.sign_for(_escalate(case, world, reason="申请人张三情绪激动"), world.county_clerk)
    rows = public_timeline(case)
    labels = [row.label for row in rows]
    assert "已转县级综治中心办理" in labels and "提级" not in labels and "签收" not in labels
    text = " ".join(f"{row.label}{row.actor}{row.note}" for row in rows)
    assert "张三" not in text and "李四明" not in text and "情绪激动" not in text


def test_a_transfer_to_a_unit_below_is_watched_by_the_sender(world):
    from zongzhi.cases.models import Case
    from zongzhi.dispatch.queues import CentreTab, centre_queue

    case = make_case(world.east.village, world.county_clerk)
    move = moves.move_to_centre(
        case, None, "transfer", actor=world.county_clerk, reason="司法所调解", unit=world.east.unit
    )
    assert move.to_place == world.east.place
    moves.sign_for(move, world.east.handler)  # a member of the unit signs
    watched = centre_queue(Case.objects.all(), CentreTab.WATCHED, world.county)
    assert list(watched) == [case]
    back = moves.move_to_centre(case, None, "return", actor=world.east.clerk, reason="县里办")
    moves.sign_for(back, world.county_clerk)
    assert not centre_queue(Case.objects.all(), CentreTab.WATCHED, world.county).exists()
