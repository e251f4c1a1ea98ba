"""Accepting and overriding a routing suggestion: recorded, carried out, permitted to few."""

import pytest

from zongzhi.accounts.models import Role
from zongzhi.cases import services
from zongzhi.cases.choices import RiskGrade, Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import routing_services
from zongzhi.dispatch.models import RoutingDecision, RoutingRule
from zongzhi.dispatch.models.moves import MoveKind
from zongzhi.dispatch.moves import pending_move, sign_for
from zongzhi.places.models import Level
from zongzhi.testing.factories import UserFactory, make_case


@pytest.fixture
def high_case(world):
    """The issue's case: registered by the township clerk, high risk, 30 people."""
    return make_case(world.east.village, world.east.clerk, risk=RiskGrade.HIGH, people_count=30)


def test_accepting_a_county_suggestion_moves_the_case_up_and_records_it(world, high_case):
    decision = routing_services.accept_suggestion(high_case, actor=world.east.clerk)
    # The county holds it once it signs for the move (dispatch.moves).
    move = pending_move(high_case)
    assert move.kind == MoveKind.ESCALATE and move.to_place == world.county
    sign_for(move, world.county_clerk)
    high_case.refresh_from_db()
    assert high_case.holding_place == world.county
    assert decision.outcome == RoutingDecision.Outcome.ACCEPTED
    assert decision.rule.name == "高风险 → 县级" == decision.rule_name
    assert decision.suggested_place == decision.chosen_place == world.county
    assert decision.decided_by == world.east.clerk and decision.reasons == ["风险等级为高"]
    event = high_case.events.get(kind=routing_services.ACCEPTED_EVENT)
    assert not event.is_public
    assert event.data["rule_name"] == "高风险 → 县级" and event.data["level"] == "县（市、区）"
    assert "高风险 → 县级" in event.note and event.label == "采纳分流建议"


def test_after_the_move_the_township_may_no_longer_route_but_the_county_may(world, high_case):
    routing_services.accept_suggestion(high_case, actor=world.east.clerk)
    sign_for(pending_move(high_case), world.county_clerk)
    high_case.refresh_from_db()
    with pytest.raises(NotPermitted, match="不由您所在的综治中心"):
        routing_services.accept_suggestion(high_case, actor=world.east.clerk)
    assert routing_services.may_route(world.county_clerk, high_case)


@pytest.mark.parametrize(
    "who", ["handler", "grid_worker", "analyst", "other_clerk", "village", "county_clerk"]
)
def test_only_intake_roles_of_the_holding_centre_may_route(world, high_case, who):
    actor = {
        "handler": world.east.handler,
        "grid_worker": world.east.grid_worker,
        "analyst": world.analyst,
        "other_clerk": world.west.clerk,
        # The centre above does not move another centre's case: the holding centre does.
        "county_clerk": world.county_clerk,
        "village": UserFactory(
            username="v-clerk", role=Role.WINDOW_CLERK, place=world.east.village
        ),
    }[who]
    with pytest.raises(NotPermitted):
        routing_services.accept_suggestion(high_case, actor=actor)
    with pytest.raises(NotPermitted):
        routing_services.override_route(
            high_case, actor=actor, level=Level.COUNTY, reason="试图改派"
        )
    assert not RoutingDecision.objects.exists()
    assert high_case.holding_place == world.east.place


@pytest.mark.parametrize("who", ["clerk", "leader"])
def test_leaders_and_clerks_of_the_holding_centre_may_route(world, high_case, who):
    actor = {"clerk": world.east.clerk, "leader": world.east.leader}[who]
    routing_services.accept_suggestion(high_case, actor=actor)
    assert pending_move(high_case).to_place == world.county


def test_routing_only_at_report_or_assess(world, high_case):
    clerk = world.east.clerk
    services.transition(high_case, Action.ACCEPT, actor=clerk)
    services.transition(high_case, Action.ASSIGN, actor=clerk, unit=world.east.unit)
    with pytest.raises(InvalidTransition, match="不能分流"):
        routing_services.accept_suggestion(high_case, actor=clerk)


def test_accepting_a_same_level_unit_at_assess_assigns_it(world, own_rules):
    own_rules("东片司法所", level=Level.TOWNSHIP, unit=world.east.unit)
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    routing_services.accept_suggestion(case, actor=world.east.clerk)
    assert case.status == Status.ASSIGN
    assignment = case.assignments.get()
    assert assignment.unit == world.east.unit and assignment.assigned_by == world.east.clerk
    assert list(case.events.values_list("kind", flat=True))[-2:] == [
        routing_services.ACCEPTED_EVENT,
        Action.ASSIGN,
    ]


def test_accepting_a_unit_at_report_records_it_without_assigning(world, own_rules):
    own_rules("东片司法所", level=Level.TOWNSHIP, unit=world.east.unit)
    case = make_case(world.east.village, world.east.clerk)
    decision = routing_services.accept_suggestion(case, actor=world.east.clerk)
    assert decision.chosen_unit == world.east.unit
    assert case.status == Status.REPORT and not case.assignments.exists()


def test_a_changed_suggestion_is_not_accepted_blindly(world, high_case):
    shown = RoutingRule.objects.get(name="中风险 → 县级")
    with pytest.raises(InvalidTransition, match="分流建议已变化"):
        routing_services.accept_suggestion(high_case, actor=world.east.clerk, rule_id=shown.pk)
    assert not RoutingDecision.objects.exists()
    assert high_case.holding_place == world.east.place


def test_nothing_to_accept_without_a_matching_rule(world, high_case, own_rules):
    with pytest.raises(InvalidInput, match="没有适用的分流规则"):
        routing_services.accept_suggestion(high_case, actor=world.east.clerk)


def test_override_to_another_level_records_both_and_moves(world, high_case):
    decision = routing_services.override_route(
        high_case, actor=world.east.clerk, level=Level.CITY, reason="已有集体上访苗头"
    )
    # 提级 goes one centre up at a time: the county, which routes it on to the city.
    assert pending_move(high_case).to_place == world.county
    assert decision.outcome == RoutingDecision.Outcome.OVERRIDDEN
    assert decision.suggested_place == world.county and decision.rule_name == "高风险 → 县级"
    assert decision.chosen_place == world.city and decision.reason == "已有集体上访苗头"
    event = high_case.events.get(kind=routing_services.OVERRIDDEN_EVENT)
    assert not event.is_public and event.note == "已有集体上访苗头"
    assert event.data["place"] == "玉溪市"


def test_override_needs_a_reason_and_a_choice(world, high_case):
    with pytest.raises(InvalidInput, match="改派须填写理由"):
        routing_services.override_route(
            high_case, actor=world.east.clerk, level=Level.CITY, reason=" "
        )
    with pytest.raises(InvalidInput, match="请选择承办层级"):
        routing_services.override_route(high_case, actor=world.east.clerk, reason="理由")
    assert not RoutingDecision.objects.exists() and not high_case.events.filter(
        kind=routing_services.OVERRIDDEN_EVENT
    )


def test_override_to_a_level_the_case_has_no_centre_at(world):
    case = make_case(world.county, world.county_clerk)
    with pytest.raises(InvalidInput, match="没有乡镇"):
        routing_services.override_route(
            case, actor=world.county_clerk, level=Level.TOWNSHIP, reason="下交"
        )
    with pytest.raises(InvalidInput, match="请选择市、县、乡镇或村级"):
        routing_services.override_route(case, actor=world.county_clerk, level=42, reason="x")


def test_override_checks_eligibility_of_unit_and_handler(world, high_case):
    clerk = world.east.clerk
    services.transition(high_case, Action.ACCEPT, actor=clerk)
    with pytest.raises(InvalidInput, match="所选单位不能承办"):
        routing_services.override_route(high_case, actor=clerk, unit=world.west.unit, reason="x")
    with pytest.raises(InvalidInput, match="所选承办人不能承办"):
        routing_services.override_route(
            high_case, actor=clerk, handler=world.west.handler, reason="x"
        )
    assert not RoutingDecision.objects.exists()


def test_override_to_a_unit_at_assess_assigns_and_at_report_is_refused(world, high_case):
    clerk = world.east.clerk
    with pytest.raises(InvalidTransition, match="须先受理"):
        routing_services.override_route(high_case, actor=clerk, unit=world.east.unit, reason="x")
    services.transition(high_case, Action.ACCEPT, actor=clerk)
    decision = routing_services.override_route(
        high_case,
        actor=clerk,
        unit=world.east.unit,
        handler=world.east.handler,
        reason="本镇司法所熟悉情况，可先行化解",
    )
    assert high_case.status == Status.ASSIGN and high_case.holding_place == world.east.place
    assignment = high_case.assignments.get()
    assert (assignment.unit, assignment.assignee) == (world.east.unit, world.east.handler)
    assert (decision.chosen_unit, decision.chosen_handler) == (world.east.unit, world.east.handler)
    assert decision.suggested_place == world.county


def test_override_without_any_suggestion_is_recorded_too(world, high_case, own_rules):
    decision = routing_services.override_route(
        high_case, actor=world.east.clerk, level=Level.COUNTY, reason="情况复杂"
    )
    assert decision.rule is None and decision.suggested_place is None
    assert pending_move(high_case).to_place == world.county
