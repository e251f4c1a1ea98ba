"""Default escalation rules (few and realistic; administrators change them in the admin), and
the sweep times of the deadlines already pending."""

from django.db import migrations
from django.db.models.functions import Coalesce

RULES = [
    # (name, milestone, delay, unit, action, card grade)
    ("见面超期1个工作日发督办单", "meet", 1, "working_days", "issue_card", "ordinary"),
    ("化解超期2个工作日提级至上级中心", "resolve", 2, "working_days", "move_up", ""),
    ("化解超期5个工作日风险等级升一级", "resolve", 5, "working_days", "raise_risk", ""),
    ("办结超期1个工作日发黄牌督办", "close", 1, "working_days", "issue_card", "yellow"),
]


def seed(apps, schema_editor):
    EscalationRule = apps.get_model("clock", "EscalationRule")
    for name, milestone, delay, unit, action, grade in RULES:
        EscalationRule.objects.get_or_create(
            name=name,
            defaults={
                "milestone": milestone,
                "delay": delay,
                "delay_unit": unit,
                "action": action,
                "card_grade": grade,
            },
        )
    Deadline = apps.get_model("clock", "Deadline")
    Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True).update(
        next_sweep_at=Coalesce("warn_at", "due_at")
    )


def unseed(apps, schema_editor):
    EscalationRule = apps.get_model("clock", "EscalationRule")
    EscalationRule.objects.filter(name__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("clock", "0006_escalation")]

    operations = [migrations.RunPython(seed, unseed)]
