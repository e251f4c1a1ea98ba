"""The dispute case (矛盾纠纷) and what hangs off it: parties, files, handlers, timeline.

State changes go through `cases.services`, never by saving fields directly: that is where the
rules are checked and the timeline is written.
"""

from django.conf import settings
from django.db import models
from django.db.models import Index, Q

from zongzhi.accounts.models import Unit
from zongzhi.cases.choices import Outcome, PartyRole, RiskGrade, Source, Status
from zongzhi.places.models import Level, Place
from zongzhi.privacy.fields import EncryptedTextField


class DisputeType(models.Model):
    """A managed catalogue of dispute types (婚姻家庭, 邻里纠纷 …), two levels deep at most."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField("说明", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "纠纷类型"
        verbose_name_plural = "纠纷类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        from zongzhi.cases.selectors import scope_cases

        return scope_cases(self, user)

    def workable_by(self, user) -> "CaseQuerySet":
        from zongzhi.cases.selectors import workable_cases

        return workable_cases(self, user)


class Case(models.Model):
    number = models.CharField("案件编号", max_length=32, unique=True)
    query_code = models.CharField("查询码", max_length=12, unique=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    external_id = models.CharField(
        "外部编号", max_length=64, null=True, blank=True, help_text="来源系统中的编号"
    )
    title = models.CharField("事由", max_length=120)
    description = models.TextField("纠纷详情")
    dispute_type = models.ForeignKey(
        DisputeType, verbose_name="纠纷类型", on_delete=models.PROTECT, related_name="cases"
    )
    risk = models.CharField("风险等级", max_length=10, choices=RiskGrade.choices)
    people_count = models.PositiveIntegerField("涉及人数", default=2)

    # Where: the node it belongs to, that node's path (for subtree scoping and rollups) and
    # its county (which numbers the case and is the usual scope of a centre's queue).
    place = models.ForeignKey(Place, verbose_name="所属地点", on_delete=models.PROTECT)
    place_path = models.CharField("地点路径", max_length=255, editable=False)
    county = models.ForeignKey(
        Place, verbose_name="所属县区", on_delete=models.PROTECT, related_name="+"
    )
    location_text = models.CharField("发生地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    # The centre that owns the work (its node), apart from where the dispute happened: moves
    # up (提级) and down (下交) change it (zongzhi.dispatch). When the case is concluded, the
    # holding centre and its level are kept for the figures (县以下化解占比 and the like).
    holding_place = models.ForeignKey(
        Place,
        verbose_name="承办中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_cases",
    )
    concluded_holding_place = models.ForeignKey(
        Place,
        verbose_name="办结时承办中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_level = models.PositiveSmallIntegerField(
        "办结时承办层级", null=True, blank=True, choices=Level.choices
    )

    status = models.CharField("环节", max_length=20, choices=Status.choices)
    outcome = models.CharField(
        "办理结果", max_length=20, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField("重启次数", default=0)

    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # 13715: the report time, the four due times and the times each milestone was reached.
    reported_at = models.DateTimeField("上报时间", null=True, blank=True)
    accept_due_at = models.DateTimeField("受理时限", null=True, blank=True)
    meet_due_at = models.DateTimeField("见面时限", null=True, blank=True)
    resolve_due_at = models.DateTimeField("化解时限", null=True, blank=True)
    close_due_at = models.DateTimeField("办结时限", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    parties_met_at = models.DateTimeField("见面时间", null=True, blank=True)
    # Concluding (化解办结) meets the 7-day milestone whatever the outcome; only substantive
    # resolution (实质化解) sets resolved_at. Read both through deadlines.resolution_of.
    concluded_at = models.DateTimeField("化解办结时间", null=True, blank=True)
    resolved_at = models.DateTimeField("实质化解时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    next_due_at = models.DateTimeField("下一时限", null=True, blank=True, editable=False)
    warn_at = models.DateTimeField("临期时间", null=True, blank=True, editable=False)
    # Raised whenever the due times move for another reason than reaching a milestone (a
    # pause, an extension, a reopening, becoming urgent): the escalation sweep acts once per
    # milestone and version.
    clock_version = models.PositiveIntegerField("时限版本", default=1, editable=False)
    # Set while an approved pause (停止计时) runs: no milestone is red or overdue meanwhile
    # (deadlines.refresh_clock). Written only by zongzhi.clock.pauses.
    clock_paused_at = models.DateTimeField("暂停计时起", null=True, blank=True, editable=False)
    # When the escalation sweep (zongzhi.clock.sweep) next has something to do with the case:
    # set by deadlines.refresh_clock with the due times, moved on by the sweep, NULL when
    # nothing is left; a sweep with nothing due is one probe of its partial index.
    next_sweep_at = models.DateTimeField("下次巡检时间", null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="case_unique_external_id_per_source",
            )
        ]
        indexes = [
            # The queue at county scope, newest first, and its usual filters.
            Index(fields=["county", "-created_at"], name="case_county_created"),
            Index(fields=["county", "status", "-created_at"], name="case_county_status"),
            Index(fields=["county", "next_due_at"], name="case_county_next_due"),
            Index(fields=["county", "warn_at"], name="case_county_warn"),
            Index(fields=["county", "dispute_type", "-created_at"], name="case_county_type"),
            Index(fields=["county", "risk", "-created_at"], name="case_county_risk"),
            # Scoping below or above the county, by path prefix.
            Index(fields=["place_path"], name="case_place_path", opclasses=["varchar_pattern_ops"]),
            Index(fields=["-created_at"], name="case_created"),
            Index(fields=["holding_place", "-created_at"], name="case_holding_created"),
            Index(
                fields=["next_sweep_at"],
                condition=Q(next_sweep_at__isnull=False),
                name="case_next_sweep",
            ),
        ]

    def __str__(self) -> str:
        from zongzhi.privacy.masking import mask_free_text

        return f"{self.number} {mask_free_text(self.title)}"

    @property
    def is_open(self) -> bool:
        from zongzhi.cases.deadlines import is_open

        return is_open(self)

    def colour(self, now=None):
        from django.utils import timezone

        from zongzhi.cases.deadlines import colour_of

        return colour_of(self, now or timezone.now())


class Party(models.Model):
    """A party to the dispute. ID number, phone and address are encrypted at rest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=20, choices=PartyRole.choices)
    name = models.CharField("姓名", max_length=60)
    id_number = EncryptedTextField("身份证号", blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField("联系电话", blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Which hash key made the two hashes (privacy.crypto.hash_key_id); `zongzhi rehash`
    # re-computes the rows whose key is not the current one.
    hash_key_id = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    address = EncryptedTextField("住址", blank=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["case", "role", "id"]

    def __str__(self) -> str:
        from zongzhi.privacy.masking import mask_name

        return f"{self.get_role_display()} {mask_name(self.name)}"

    def save(self, *args, **kwargs):
        self.compute_hashes()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "id_number_hash",
                "phone_hash",
                "hash_key_id",
            }
        super().save(*args, **kwargs)

    def compute_hashes(self) -> None:
        """Set the keyed hashes of the ID number and phone, and the id of the key used."""
        from zongzhi.privacy.crypto import hash_key_id, keyed_hash
        from zongzhi.privacy.phones import phone_key

        self.id_number_hash = keyed_hash(self.id_number) if self.id_number else ""
        self.phone_hash = keyed_hash(phone_key(self.phone)) if self.phone else ""
        self.hash_key_id = hash_key_id()


def attachment_path(instance: "CaseAttachment", filename: str) -> str:
    # By id, not number: files are stored before the case is numbered (services.register_case).
    return f"cases/{instance.case.county.code}/{instance.case.pk}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class CaseAssignment(models.Model):
    """A current or past handler of a case: a unit, a person, or both.

    A case can have several active assignments (a lead and joint handlers); later dispatch
    work adds sub-tasks with their own deadlines on top of this.
    """

    class Kind(models.TextChoices):
        LEAD = "lead", "主办"
        JOINT = "joint", "协办"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LEAD)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "承办"
        verbose_name_plural = "承办"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(assignee__isnull=False),
                name="assignment_has_unit_or_person",
            ),
            # At most one active lead (主办) per case, held by the database itself so that
            # two concurrent 交办 or 更换主办 cannot both succeed (dispatch.handlers).
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="lead", ended_at__isnull=True),
                name="assignment_one_active_lead",
            ),
        ]
        indexes = [Index(fields=["case", "ended_at"], name="assignment_active")]

    def __str__(self) -> str:
        return " / ".join(str(x) for x in (self.unit, self.assignee) if x)


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("timeline events are immutable")

    def delete(self):
        raise TypeError("timeline events are immutable")


class CaseEvent(models.Model):
    """One entry on a case's timeline: who did what, when, from which step to which, and why.

    `kind` is free text (an Action value, or 'created', 'risk_changed', 'attachment_added' …)
    so that new kinds join without a migration; `data` holds the kind's own details.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=80)
    created_at = models.DateTimeField("时间")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    place_path = models.CharField(max_length=255)
    # Shown on the citizen's public timeline (their own case only, personal data masked).
    is_public = models.BooleanField(default=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "id"]
        indexes = [
            Index(fields=["case", "created_at"], name="event_case_time"),
            Index(fields=["kind", "created_at"], name="event_kind_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("timeline events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("timeline events are immutable")

    @property
    def label(self) -> str:
        from zongzhi.cases.workflow import event_label

        return event_label(self.kind)


class CaseNumberSequence(models.Model):
    """The last case number used per county and year."""

    county = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="case_number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.year}: {self.last_value}"
