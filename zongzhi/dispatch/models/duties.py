"""一案三交: a key case (重点案件) and the duties of its three responsible people.

A case becomes key once: `KeyCase` is one row per case (unique), so a repeat or a race
inserts nothing. Each duty keeps its due time on a clock.Deadline row.
"""

from django.db import models


class KeyReason(models.TextChoices):
    HIGH_RISK = "high_risk", "高风险"
    MANY_PEOPLE = "many_people", "涉及人数多"
    RISK_SIGNAL = "risk_signal", "风险信号已确认"
    LEADER = "leader", "领导标记"


class DutyRole(models.TextChoices):
    COUNTY_LEADER = "county_leader", "包保县级领导"
    PARTY_SECRETARY = "party_secretary", "属地党（工）委书记"
    GOVERNMENT_HEAD = "government_head", "属地乡镇长（街道办主任）"
    POLITICAL_LEGAL = "political_legal", "包保政法单位班子成员"


class DutyKind(models.TextChoices):
    ACT = "act", "包案化解"
    VISIT = "visit", "走访稳控"
    REPORT = "report", "下沉指导并报告"


class KeyCase(models.Model):
    """The hand-over of a key case (一案三交): when, why, and who could not be found."""

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="key_case"
    )
    reason = models.CharField("列为重点的原因", max_length=20, choices=KeyReason.choices)
    note = models.TextField("说明", blank=True)
    marked_by = models.ForeignKey(
        "accounts.User",
        verbose_name="标记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    township = models.ForeignKey(
        "places.Place",
        verbose_name="属地乡镇（街道）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_at = models.DateTimeField("三交时间")
    # The responsible roles nobody covers (DutyRole values): named on the case, not skipped.
    missing = models.JSONField("未落实的责任人", default=list, blank=True)

    class Meta:
        verbose_name = "重点案件（一案三交）"
        verbose_name_plural = "重点案件（一案三交）"
        ordering = ["-handed_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_reason_display()}"

    @property
    def missing_labels(self) -> list[str]:
        return [DutyRole(role).label for role in self.missing if role in DutyRole.values]


class Duty(models.Model):
    """One responsible person's duty on a key case, met by recording what they did."""

    key_case = models.ForeignKey(KeyCase, on_delete=models.CASCADE, related_name="duties")
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="duties"
    )
    role = models.CharField("责任身份", max_length=20, choices=DutyRole.choices)
    kind = models.CharField("职责", max_length=10, choices=DutyKind.choices)
    person = models.ForeignKey(
        "accounts.User", verbose_name="责任人", on_delete=models.PROTECT, related_name="duties"
    )
    title = models.CharField("职务", max_length=60, blank=True)
    deadline = models.OneToOneField(
        "clock.Deadline", verbose_name="时限", on_delete=models.PROTECT, related_name="duty"
    )
    done_at = models.DateTimeField("履职时间", null=True, blank=True)
    done_note = models.TextField("履职情况", blank=True)

    class Meta:
        verbose_name = "一案三交职责"
        verbose_name_plural = "一案三交职责"
        ordering = ["key_case", "id"]
        indexes = [models.Index(fields=["person", "done_at"], name="duty_person_done")]
        constraints = [
            models.UniqueConstraint(fields=["key_case", "role"], name="duty_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}：{self.get_kind_display()}"
