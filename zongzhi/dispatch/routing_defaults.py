"""The routing rules a new installation starts with: the seeds' tiered filtering (梯次过滤).

Villages settle trivia, townships take low risk, counties take medium and high risk, the city
takes major and complex disputes. "Major" is kept rarer than "high risk": a high-risk case
with 30 people goes to the county (its one-stop centre handles medium and high risk); the
city gets 100 people or more, or a high-risk case that speaks of a group incident or a
collective petition. Migration dispatch/0002 loads a frozen copy of this list; tests that
flush the database (browser tests) and the demo call `install_default_rules`.
"""

from django.db import transaction

from zongzhi.cases.models import DisputeType
from zongzhi.dispatch.models import RoutingRule
from zongzhi.places.models import Level

# (priority, name, conditions, target level); "types" are dispute type codes.
DEFAULT_RULES: list[tuple[int, str, dict, Level]] = [
    (10, "涉及100人以上 → 市级（重大复杂）", {"min_people": 100}, Level.CITY),
    (
        20,
        "高风险且涉及群体性事件、集体上访 → 市级",
        {"risks": ["high"], "keywords": "群体性事件 集体上访 越级上访 聚集"},
        Level.CITY,
    ),
    (30, "高风险 → 县级", {"risks": ["high"]}, Level.COUNTY),
    (40, "中风险 → 县级", {"risks": ["medium"]}, Level.COUNTY),
    (50, "涉及30人以上 → 县级", {"min_people": 30}, Level.COUNTY),
    (
        60,
        "低风险邻里、婚姻家庭琐事（5人以下）→ 村级（小事不出村）",
        {"risks": ["low"], "max_people": 5, "types": ["neighbourhood", "marriage-family"]},
        Level.VILLAGE,
    ),
    (70, "低风险 → 乡镇级（大事不出镇）", {"risks": ["low"]}, Level.TOWNSHIP),
]


@transaction.atomic
def install_default_rules() -> list[RoutingRule]:
    """Create the default rules (switched on) that do not exist yet, by name; returns the
    rules created. Safe to run twice."""
    created_rules = []
    for priority, name, conditions, level in DEFAULT_RULES:
        conditions = dict(conditions)
        codes = conditions.pop("types", [])
        rule, created = RoutingRule.objects.get_or_create(
            name=name,
            defaults={
                "priority": priority,
                "target_level": level,
                "is_active": True,
                "description": "默认规则（梯次过滤）",
                **conditions,
            },
        )
        if created:
            rule.dispute_types.set(DisputeType.objects.filter(code__in=codes))
            created_rules.append(rule)
    return created_rules
