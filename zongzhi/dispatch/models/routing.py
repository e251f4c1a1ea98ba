"""Routing rules (分流规则) as data, and the record of every routing decision.

A rule's conditions are all optional; an empty condition matches anything. Rules are tried in
order (priority, then id) and the first active rule whose conditions all hold makes the
suggestion. The evaluation itself lives in `zongzhi.dispatch.routing`.
"""

from django.conf import settings
from django.db import models

from zongzhi.accounts.models import Unit, UnitKind
from zongzhi.cases.models import Case, DisputeType
from zongzhi.places.models import Level, Place

# The levels a rule may send a case to: the four levels that have a centre.
TARGET_LEVEL_CHOICES = [
    (level.value, level.label)
    for level in (Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
]


class RoutingRule(models.Model):
    name = models.CharField(
        "规则名称", max_length=80, help_text="写明条件和去向，例如：高风险 → 县级"
    )
    priority = models.PositiveIntegerField("优先顺序", default=100, help_text="数字小的先判断")
    is_active = models.BooleanField(
        "启用", default=False, help_text="新规则默认停用：先在“试运行”中用样例纠纷检验，再启用"
    )

    # Conditions (each empty one matches any case).
    dispute_types = models.ManyToManyField(
        DisputeType, verbose_name="纠纷类型", blank=True, related_name="+"
    )
    risks = models.JSONField("风险等级", default=list, blank=True)
    min_people = models.PositiveIntegerField("涉及人数不少于", null=True, blank=True)
    max_people = models.PositiveIntegerField("涉及人数不多于", null=True, blank=True)
    place = models.ForeignKey(
        Place,
        verbose_name="地域范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="纠纷所属地点须在此地点及其下级范围内；留空表示不限",
    )
    sources = models.JSONField("来源渠道", default=list, blank=True)
    keywords = models.TextField(
        "关键词",
        blank=True,
        help_text="事由或纠纷详情含其中任一词即符合；词之间用空格、逗号、顿号或换行分隔",
    )

    # Result: the level that should hold the case, and optionally who should work it.
    target_level = models.PositiveSmallIntegerField(
        "建议承办层级", choices=TARGET_LEVEL_CHOICES, default=Level.TOWNSHIP
    )
    unit_kind = models.CharField(
        "建议单位类别", max_length=30, choices=UnitKind.choices, blank=True
    )
    department = models.CharField(
        "建议所属部门", max_length=40, blank=True, help_text="例如：司法、法院、人社"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="建议承办单位或调解室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="建议承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "分流规则"
        verbose_name_plural = "分流规则"
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_people__isnull=True)
                | models.Q(max_people__isnull=True)
                | models.Q(min_people__lte=models.F("max_people")),
                name="routing_rule_people_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        from zongzhi.dispatch.routing import split_keywords

        return split_keywords(self.keywords)


class RoutingDecision(models.Model):
    """What routing suggested for a case, and what the clerk did with it (accepted or
    overrode, with the reason): one row per decision, kept for review."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "采纳建议"
        OVERRIDDEN = "overridden", "改派"

    case = models.ForeignKey(
        Case, verbose_name="纠纷", on_delete=models.CASCADE, related_name="routing_decisions"
    )
    rule = models.ForeignKey(
        RoutingRule,
        verbose_name="规则",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    rule_name = models.CharField("规则名称", max_length=80, blank=True)
    reasons = models.JSONField("匹配理由", default=list, blank=True)
    suggested_place = models.ForeignKey(
        Place,
        verbose_name="建议承办中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_unit = models.ForeignKey(
        Unit,
        verbose_name="建议单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="建议承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("处理", max_length=20, choices=Outcome.choices)
    chosen_place = models.ForeignKey(
        Place,
        verbose_name="确定承办中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_unit = models.ForeignKey(
        Unit,
        verbose_name="确定单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确定承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间")

    class Meta:
        verbose_name = "分流记录"
        verbose_name_plural = "分流记录"
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_outcome_display()} {self.rule_name}"

    @property
    def suggested_level_label(self) -> str:
        return self.suggested_place.level_label if self.suggested_place_id else ""

    @property
    def chosen_level_label(self) -> str:
        return self.chosen_place.level_label if self.chosen_place_id else ""
