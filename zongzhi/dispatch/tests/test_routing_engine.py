"""The routing engine: every condition kind, the order of rules, inactive rules, the result."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zongzhi.accounts.models import Role, UnitKind
from zongzhi.cases.choices import RiskGrade, Source
from zongzhi.cases.models import DisputeType
from zongzhi.dispatch import routing
from zongzhi.dispatch.models import RoutingRule
from zongzhi.places.models import Level
from zongzhi.testing.factories import UnitFactory, UserFactory, make_case


@pytest.fixture
def case(world):
    return make_case(
        world.east.village,
        world.east.clerk,
        risk=RiskGrade.MEDIUM,
        people_count=12,
        source=Source.WINDOW,
        title="果园承包费纠纷",
        description="十余户村民与合作社就柑桔收购价格发生争执。",
    )


def test_a_rule_without_conditions_matches_any_case(case, own_rules):
    rule = own_rules("兜底")
    suggestion = routing.suggest(case)
    assert suggestion.rule == rule
    assert routing.explain(rule, case).reasons == ["本规则没有条件，适用于所有纠纷"]


def test_no_active_rule_no_suggestion(case, own_rules):
    assert routing.suggest(case) is None


def test_inactive_rules_are_skipped(case, own_rules):
    own_rules("停用", priority=1, is_active=False)
    later = own_rules("启用", priority=2)
    assert routing.suggest(case).rule == later


def test_rules_are_tried_by_priority_then_id(case, own_rules):
    own_rules("二十", priority=20)
    earlier = own_rules("先建", priority=10)
    later = own_rules("后建", priority=10)
    assert routing.suggest(case).rule == earlier
    earlier.priority = 30
    earlier.save()
    assert routing.suggest(case).rule == later


def test_dispute_type_condition(case, own_rules, world):
    other = DisputeType.objects.get(code="wages")
    rule = own_rules("欠薪", types=[other])
    explanation = routing.explain(rule, case)
    assert not explanation.matches
    assert "不属于劳动报酬" in explanation.checks[0].detail
    rule.dispute_types.add(case.dispute_type)
    assert routing.explain(rule, case).matches


def test_risk_condition(case, own_rules):
    rule = own_rules("高风险", risks=[RiskGrade.HIGH])
    assert not routing.explain(rule, case).matches
    rule.risks = [RiskGrade.HIGH, RiskGrade.MEDIUM]
    assert routing.explain(rule, case).reasons == ["风险等级为中"]


def test_people_count_bounds(case, own_rules):
    at_least = own_rules("十人以上", min_people=12)
    assert routing.explain(at_least, case).reasons == ["涉及12人，达到12人"]
    at_least.min_people = 13
    assert not routing.explain(at_least, case).matches
    at_most = own_rules("十人以下", max_people=11)
    assert routing.explain(at_most, case).checks[0].detail == "涉及12人，超过11人"
    at_most.max_people = 12
    assert routing.explain(at_most, case).matches


def test_place_condition_is_a_subtree(case, own_rules, world):
    rule = own_rules("东片", place=world.east.place)
    assert routing.explain(rule, case).matches
    rule.place = world.west.place
    explanation = routing.explain(rule, case)
    assert not explanation.matches and "不在凤凰街道范围内" in explanation.checks[0].detail
    rule.place = world.east.grid  # below the case's village: the village is not inside it
    assert not routing.explain(rule, case).matches


def test_source_condition(case, own_rules):
    rule = own_rules("热线", sources=[Source.HOTLINE_12345])
    assert not routing.explain(rule, case).matches
    rule.sources = [Source.HOTLINE_12345, Source.WINDOW]
    assert routing.explain(rule, case).matches


def test_keywords_any_of_a_list_in_title_or_description(case, own_rules):
    rule = own_rules("价格", keywords="拆迁，欠薪、 收购价格")
    assert rule.keyword_list == ["拆迁", "欠薪", "收购价格"]
    assert routing.explain(rule, case).reasons == ["事由或详情含“收购价格”"]
    rule.keywords = "果园"  # in the title
    assert routing.explain(rule, case).matches
    rule.keywords = "拆迁 欠薪"
    assert not routing.explain(rule, case).matches


def test_all_conditions_must_hold_and_each_is_explained(case, own_rules, world):
    rule = own_rules(
        "组合",
        risks=[RiskGrade.MEDIUM],
        min_people=10,
        place=world.east.place,
        keywords="拆迁",
    )
    explanation = routing.explain(rule, case)
    assert [(c.label, c.passed) for c in explanation.checks] == [
        ("风险等级", True),
        ("涉及人数", True),
        ("地域范围", True),
        ("关键词", False),
    ]
    assert routing.suggest(case) is None


def test_the_result_is_the_cases_own_centre_at_the_level(case, own_rules, world):
    for level, centre in [
        (Level.CITY, world.city),
        (Level.COUNTY, world.county),
        (Level.TOWNSHIP, world.east.place),
        (Level.VILLAGE, world.east.village),
    ]:
        RoutingRule.objects.update(is_active=False)
        own_rules(f"到{level.label}", level=level)
        assert routing.suggest(case).place == centre


def test_a_level_below_the_cases_place_falls_back_to_its_own_centre(world, own_rules):
    county_case = make_case(world.county, world.county_clerk)
    own_rules("村级", level=Level.VILLAGE)
    assert routing.suggest(county_case).place == world.county


def test_unit_kind_and_department_pick_an_eligible_unit_at_the_target_centre(
    case, own_rules, world
):
    room = UnitFactory(
        name="县调解室", kind=UnitKind.MEDIATION_ROOM, department="", place=world.county
    )
    UnitFactory(name="县法院", kind=UnitKind.STATIONED, department="法院", place=world.county)
    own_rules("调解室", unit_kind=UnitKind.MEDIATION_ROOM)
    assert routing.suggest(case).unit == room
    RoutingRule.objects.update(is_active=False)
    own_rules("法院", department="法院")
    assert routing.suggest(case).unit.name == "县法院"
    RoutingRule.objects.update(is_active=False)
    own_rules("人社", department="人社")
    suggestion = routing.suggest(case)
    assert suggestion.unit is None and "没有符合规则的在岗单位" in suggestion.notes[0]


def test_a_named_unit_or_handler_is_suggested_only_when_eligible(case, own_rules, world):
    own_rules("西片司法所", unit=world.west.unit, handler=world.west.handler)
    suggestion = routing.suggest(case)
    assert suggestion.unit is None and suggestion.handler is None
    assert len(suggestion.notes) == 2
    RoutingRule.objects.update(is_active=False)
    own_rules("东片司法所", level=Level.TOWNSHIP, unit=world.east.unit, handler=world.east.handler)
    suggestion = routing.suggest(case)
    assert (suggestion.unit, suggestion.handler) == (world.east.unit, world.east.handler)
    clerk_rule = own_rules("窗口不是承办人", priority=1, handler=world.east.clerk)
    assert routing.suggest(case).rule == clerk_rule
    assert routing.suggest(case).handler is None


def test_evaluation_cost_does_not_grow_with_the_number_of_rules(case, own_rules, world):
    def cost() -> int:
        fresh = type(case).objects.get(pk=case.pk)
        with CaptureQueriesContext(connection) as captured:
            assert routing.suggest(fresh) is None
        return len(captured.captured_queries)

    types = [DisputeType.objects.get(code="wages")]
    own_rules("a", types=types, place=world.west.place, keywords="拆迁")
    few = cost()
    for n in range(20):
        own_rules(f"r{n}", types=types, place=world.west.place, keywords="拆迁", risks=["high"])
    assert cost() == few <= 4


def test_a_handler_of_another_role_is_not_suggested(case, own_rules, world):
    mediator = UserFactory(username="med-east", role=Role.MEDIATOR, place=world.east.place)
    own_rules("调解员", level=Level.TOWNSHIP, handler=mediator)
    assert routing.suggest(case).handler == mediator
