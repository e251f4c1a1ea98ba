"""The seeded default rules follow the tiered filtering (梯次过滤) of the seeds."""

import pytest

from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.models import DisputeType
from zongzhi.dispatch import routing
from zongzhi.dispatch.models import RoutingRule
from zongzhi.testing.factories import make_case


def test_the_defaults_are_seeded_active_in_order(db):
    rules = list(RoutingRule.objects.filter(is_active=True))
    assert len(rules) == 7
    assert [r.priority for r in rules] == sorted(r.priority for r in rules)


@pytest.mark.parametrize(
    ("risk", "people", "type_code", "text", "level_name", "rule_words"),
    [
        # The case: a township clerk's high-risk case with 30 people → the county.
        (RiskGrade.HIGH, 30, "wages", "", "county", "高风险 → 县级"),
        (RiskGrade.MEDIUM, 3, "neighbourhood", "", "county", "中风险 → 县级"),
        (RiskGrade.LOW, 30, "wages", "", "county", "涉及30人以上 → 县级"),
        (RiskGrade.LOW, 120, "wages", "", "city", "涉及100人以上"),
        (RiskGrade.HIGH, 8, "land-requisition", "扬言组织集体上访", "city", "集体上访 → 市级"),
        (RiskGrade.LOW, 2, "neighbourhood", "", "village", "小事不出村"),
        (RiskGrade.LOW, 8, "neighbourhood", "", "township", "低风险 → 乡镇级"),
        (RiskGrade.LOW, 2, "wages", "", "township", "低风险 → 乡镇级"),
    ],
)
def test_default_rules_route_by_tier(world, risk, people, type_code, text, level_name, rule_words):
    case = make_case(
        world.east.village,
        world.east.clerk,
        risk=risk,
        people_count=people,
        dispute_type=DisputeType.objects.get(code=type_code),
        description=f"双方发生争执。{text}",
    )
    suggestion = routing.suggest(case)
    expected = {
        "city": world.city,
        "county": world.county,
        "township": world.east.place,
        "village": world.east.village,
    }[level_name]
    assert suggestion.place == expected
    assert rule_words in suggestion.rule.name


def test_the_30_person_high_risk_case_says_why(world):
    case = make_case(world.east.village, world.east.clerk, risk=RiskGrade.HIGH, people_count=30)
    suggestion = routing.suggest(case)
    assert suggestion.place == world.county
    assert suggestion.reasons == ["风险等级为高"]


def test_install_default_rules_after_a_flush_and_twice(db):
    from zongzhi.dispatch.routing_defaults import DEFAULT_RULES, install_default_rules

    RoutingRule.objects.all().delete()
    assert len(install_default_rules()) == len(DEFAULT_RULES)
    assert install_default_rules() == []
    village = RoutingRule.objects.get(priority=60)
    assert set(village.dispute_types.values_list("code", flat=True)) == {
        "neighbourhood",
        "marriage-family",
    }
