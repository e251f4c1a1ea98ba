"""Cross-area joint teams (跨区域 "一案一专班"): one team per case that spans townships or
counties, with a leader (组长), members from each side and a plan.

A member represents a side: their unit, or their place when they belong to no unit (a
snapshot taken when they join, so that the team keeps its shape when an account moves).
Removing a member ends the row (`removed_at`); the history stays. The rules are in
zongzhi.dispatch.teams.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zongzhi.accounts.models import Unit
from zongzhi.cases.models import Case
from zongzhi.places.models import Place


class TeamRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"
    LIAISON = "liaison", "联络员"


class CaseTeam(models.Model):
    case = models.OneToOneField(
        Case, verbose_name="纠纷", on_delete=models.CASCADE, related_name="team"
    )
    plan = models.TextField("工作方案", blank=True)
    # The plan's target date, as a due time on the case (clock.Deadline, working days).
    target = models.ForeignKey(
        "clock.Deadline",
        verbose_name="目标时限",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组建人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("组建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "跨区域专班"
        verbose_name_plural = "跨区域专班"

    def __str__(self) -> str:
        return f"{self.case.number} 专班"


class TeamMember(models.Model):
    team = models.ForeignKey(
        CaseTeam, verbose_name="专班", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="成员",
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    role = models.CharField("专班职务", max_length=12, choices=TeamRole.choices)
    # The side the member represents: their unit, else their place (snapshot when added).
    side_place = models.ForeignKey(
        Place, verbose_name="所属区域", on_delete=models.PROTECT, related_name="+"
    )
    side_unit = models.ForeignKey(
        Unit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="加入操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField("加入时间")
    removed_at = models.DateTimeField("移出时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="移出操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removal_reason = models.TextField("移出理由", blank=True)

    class Meta:
        verbose_name = "专班成员"
        verbose_name_plural = "专班成员"
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(removed_at__isnull=True),
                name="team_member_once_active",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(removed_at__isnull=True, role="leader"),
                name="team_one_active_leader",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "removed_at"], name="team_member_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None
