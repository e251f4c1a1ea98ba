"""The default routing rules (dispatch.routing_defaults), frozen as they stood when written."""

from django.db import migrations

CITY, COUNTY, TOWNSHIP, VILLAGE = 2, 3, 4, 5

# Frozen copy of dispatch.routing_defaults.DEFAULT_RULES at the time of writing.
DEFAULT_RULES = [
    (10, "涉及100人以上 → 市级（重大复杂）", {"min_people": 100}, CITY),
    (
        20,
        "高风险且涉及群体性事件、集体上访 → 市级",
        {"risks": ["high"], "keywords": "群体性事件 集体上访 越级上访 聚集"},
        CITY,
    ),
    (30, "高风险 → 县级", {"risks": ["high"]}, COUNTY),
    (40, "中风险 → 县级", {"risks": ["medium"]}, COUNTY),
    (50, "涉及30人以上 → 县级", {"min_people": 30}, COUNTY),
    (
        60,
        "低风险邻里、婚姻家庭琐事（5人以下）→ 村级（小事不出村）",
        {"risks": ["low"], "max_people": 5, "types": ["neighbourhood", "marriage-family"]},
        VILLAGE,
    ),
    (70, "低风险 → 乡镇级（大事不出镇）", {"risks": ["low"]}, TOWNSHIP),
]


def add_rules(apps, schema_editor):
    RoutingRule = apps.get_model("dispatch", "RoutingRule")
    DisputeType = apps.get_model("cases", "DisputeType")
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
        if created and codes:
            rule.dispute_types.set(DisputeType.objects.filter(code__in=codes))


def remove_rules(apps, schema_editor):
    RoutingRule = apps.get_model("dispatch", "RoutingRule")
    RoutingRule.objects.filter(name__in=[name for _, name, _, _ in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0001_routing_rules"),
        ("cases", "0002_default_dispute_types"),
    ]

    operations = [migrations.RunPython(add_rules, remove_rules)]
