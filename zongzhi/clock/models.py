"""The working-day calendar as data: which dates are public holidays or make-up working days.

A date not listed here is a working day on Monday to Friday and a rest day at the weekend. Rows
with a place apply only to cases in that place's subtree (local holidays of autonomous
prefectures); rows without one apply everywhere. A year counts as known only once an
administrator has confirmed it (`CalendarYear.confirmed`); seeding confirms the years it loads.
"""

from django.db import models

from zongzhi.cases.choices import Milestone


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班"


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    confirmed = models.BooleanField(
        "已确认", default=False, help_text="国务院办公厅公布当年节假日安排并录入完毕后勾选"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年" + ("（已确认）" if self.confirmed else "（未确认）")


class SpecialDay(models.Model):
    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=50, blank=True, help_text="例如：春节、国庆节")
    place = models.ForeignKey(
        "places.Place",
        verbose_name="仅适用于区划",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="留空为全国；填写则只适用于该区划及其下级的案件（如自治州的地方节日）",
    )

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(place=None), name="specialday_national_date"
            ),
            models.UniqueConstraint(fields=["date", "place"], name="specialday_place_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class DutyShift(models.Model):
    """One person on the holiday or night duty roster (节假日值班表) of a centre; the alerts of
    urgent cases when the office is closed go to whoever is on duty (see roster.on_duty)."""

    centre = models.ForeignKey(
        "places.Place",
        verbose_name="综治中心（所属区划）",
        on_delete=models.CASCADE,
        related_name="+",
    )
    person = models.ForeignKey(
        "accounts.User", verbose_name="值班人员", on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    note = models.CharField("备注", max_length=100, blank=True)

    class Meta:
        verbose_name = "节假日值班"
        verbose_name_plural = "节假日值班表"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["centre", "starts_at"], name="dutyshift_centre_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="dutyshift_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.person} {self.starts_at:%Y-%m-%d %H:%M}"


class Deadline(models.Model):
    """A due time on a case other than its 13715 milestones: a 吹哨 sub-task's report-in or
    report-back, a supervision card's reply, a 一案三交 duty, a plan item, a follow-up visit.

    The thing that has the deadline keeps a foreign key to its row here, so that the due time
    has one home and the escalation sweep reads every such deadline from one table. Write rows
    only through zongzhi.clock.tracking.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="deadlines"
    )
    # What it is, for reminders and counts: "<app>.<thing>", e.g. "dispatch.report_in".
    kind = models.CharField("类型", max_length=40)
    label = models.CharField("事项", max_length=120)
    due_at = models.DateTimeField("时限")
    warn_at = models.DateTimeField("临期时间", null=True, blank=True)
    met_at = models.DateTimeField("完成时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    responsible_user = models.ForeignKey(
        "accounts.User",
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Raised whenever the due time moves (a pause, an extension): the sweep acts once per
    # deadline and version.
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间")
    # When the escalation sweep next has something to do with this row (its warning, its due
    # time, an escalation rule), NULL once met, cancelled or done; kept by clock.tracking and
    # the sweep (clock.sweep), so that a sweep with nothing due is one index probe.
    next_sweep_at = models.DateTimeField("下次巡检时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="deadline_pending_due",
            ),
            models.Index(fields=["case", "kind"], name="deadline_case_kind"),
            models.Index(
                fields=["next_sweep_at"],
                condition=models.Q(next_sweep_at__isnull=False),
                name="deadline_next_sweep",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.due_at:%Y-%m-%d %H:%M}"


class RequestState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


# A request is open while it waits for a decision or (a pause) while it runs.
OPEN_REQUEST_STATES = (RequestState.PENDING, RequestState.APPROVED)


class ClockRequest(models.Model):
    """What a pause and an extension share: who asked, why, who decides, the decision."""

    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    # The centre whose leader decides (the holding centre; the one above for its own
    # leader's request); administrators of the area decide too (clock.approval).
    approver_place = models.ForeignKey(
        "places.Place", verbose_name="审批中心", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=10, choices=RequestState.choices, default=RequestState.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        abstract = True


class ClockPause(ClockRequest):
    """A request to stop a case's clock (停止计时) and, once approved, the pause itself: it
    starts when approved and ends when resumed (clock.pauses)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="clock_pauses"
    )
    started_at = models.DateTimeField("暂停起", null=True, blank=True)
    ended_at = models.DateTimeField("恢复计时", null=True, blank=True)
    ended_by = models.ForeignKey(
        "accounts.User",
        verbose_name="恢复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Working days the pause covered (any part of a day counts) and its natural length in
    # seconds, recorded at the resume; the unmet due times moved by them.
    paused_working_days = models.PositiveSmallIntegerField("暂停工作日数", null=True, blank=True)
    paused_seconds = models.PositiveIntegerField("暂停时长（秒）", null=True, blank=True)
    # The unmet milestones' due times when the pause started ({milestone: ISO time}): only
    # those still unchanged at the resume move (one set during the pause is kept as set).
    due_at_start = models.JSONField("暂停时的时限", default=dict, blank=True)

    class Meta:
        verbose_name = "停止计时"
        verbose_name_plural = "停止计时"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # At most one open pause per case: requested or running.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state__in=OPEN_REQUEST_STATES, ended_at__isnull=True),
                name="clockpause_one_open_per_case",
            )
        ]
        indexes = [models.Index(fields=["approver_place", "state"], name="clockpause_approver")]

    def __str__(self) -> str:
        return f"{self.case_id} 停止计时 {self.get_state_display()}"

    @property
    def running(self) -> bool:
        return self.state == RequestState.APPROVED and self.ended_at is None


class Extension(ClockRequest):
    """A request to extend one 13715 milestone by some working days (延期), and its decision:
    once per milestone and round of handling (reopening starts a new round), at most the
    milestone's own length (clock.extensions)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="extensions"
    )
    milestone = models.CharField("时限", max_length=10, choices=Milestone.choices)
    # Case.reopen_count when asked: a reopened case may extend its fresh milestones again.
    round = models.PositiveSmallIntegerField("办理轮次", default=0)
    days_requested = models.PositiveSmallIntegerField("申请延长工作日")
    days_granted = models.PositiveSmallIntegerField("批准延长工作日", null=True, blank=True)
    due_before = models.DateTimeField("原时限", null=True, blank=True)
    due_after = models.DateTimeField("延期后时限", null=True, blank=True)

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Once per milestone: a pending or approved request blocks another (a refused one
            # may be asked again).
            models.UniqueConstraint(
                fields=["case", "milestone", "round"],
                condition=models.Q(state__in=OPEN_REQUEST_STATES),
                name="extension_once_per_milestone",
            ),
            models.CheckConstraint(
                condition=models.Q(days_requested__gte=1), name="extension_at_least_a_day"
            ),
        ]
        indexes = [models.Index(fields=["approver_place", "state"], name="extension_approver")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_milestone_display()}延期 {self.get_state_display()}"


class DelayUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "工作日"
    WORKING_HOURS = "working_hours", "工作小时（办公时间内）"
    NATURAL_HOURS = "natural_hours", "自然小时"


class EscalationAction(models.TextChoices):
    RAISE_RISK = "raise_risk", "风险等级升一级"
    MOVE_UP = "move_up", "提级至上级综治中心"
    ISSUE_CARD = "issue_card", "发督办单"


class CardGradeChoice(models.TextChoices):
    """The grades of a supervision card (dispatch.cards.CardGrade), by value."""

    ORDINARY = "ordinary", "督办单"
    YELLOW = "yellow", "黄牌督办"
    RED = "red", "红牌督办"


class EscalationRule(models.Model):
    """What the sweep does when a deadline stays unmet: `delay` after the due time of a 13715
    milestone (`milestone`) or of a clock.Deadline of a kind (`deadline_kind`), take `action`.
    Rules are data: administrators add, change and switch them off in the admin."""

    name = models.CharField("名称", max_length=60)
    milestone = models.CharField(
        "13715时限",
        max_length=10,
        blank=True,
        choices=Milestone.choices,
        help_text="案件的哪一项时限；与“事项类型”二选一",
    )
    deadline_kind = models.CharField(
        "事项类型",
        max_length=40,
        blank=True,
        help_text="办理时限的类型，如 dispatch.report_in；与“13715时限”二选一",
    )
    delay = models.PositiveIntegerField("超期多久", help_text="超过时限多久后执行")
    delay_unit = models.CharField("单位", max_length=16, choices=DelayUnit.choices)
    action = models.CharField("措施", max_length=16, choices=EscalationAction.choices)
    card_grade = models.CharField(
        "督办单等级",
        max_length=10,
        blank=True,
        choices=CardGradeChoice.choices,
        help_text="措施为发督办单时填写",
    )
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "超期升级规则"
        verbose_name_plural = "超期升级规则"
        ordering = ["milestone", "deadline_kind", "delay_unit", "delay", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (~models.Q(milestone="") & models.Q(deadline_kind=""))
                    | (models.Q(milestone="") & ~models.Q(deadline_kind=""))
                ),
                name="escalationrule_one_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(action="issue_card") | ~models.Q(card_grade=""),
                name="escalationrule_card_has_grade",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if bool(self.milestone) == bool(self.deadline_kind):
            raise ValidationError("请在“13715时限”和“事项类型”中选填且只填一项")
        if self.action == EscalationAction.ISSUE_CARD and not self.card_grade:
            raise ValidationError({"card_grade": "发督办单须选择督办单等级"})


class SweepStep(models.Model):
    """One step the sweep (or the risk-signal hook) has taken: a reminder, an overdue alert,
    an escalation rule's action, a signal's raise.

    The row is inserted FIRST, in the transaction of the action and its messages; the unique
    key (case, target, version, step) decides that each step happens once per deadline and
    version, whatever runs at the same time (clock.escalation.claim)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="+"
    )
    # "milestone:<accept|meet|resolve|close>", "deadline:<id>" or "signal:<key>".
    target = models.CharField("对象", max_length=60)
    # Case.clock_version or Deadline.version at the time of the step (1 for signals).
    version = models.PositiveIntegerField("版本")
    # "remind", "overdue", "rule:<id>" or "raise".
    step = models.CharField("步骤", max_length=30)
    taken_at = models.DateTimeField("执行时间")
    outcome = models.CharField("结果", max_length=200, blank=True)

    class Meta:
        verbose_name = "巡检执行记录"
        verbose_name_plural = "巡检执行记录"
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "target", "version", "step"], name="sweepstep_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.target} v{self.version} {self.step}"
