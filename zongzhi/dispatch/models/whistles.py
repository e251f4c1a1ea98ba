"""吹哨报到 ("中心吹哨、部门报到"): each department's two named contacts, the sub-tasks a centre
gives the departments it calls on a case, and the preset roster of 多长联调.

A sub-task keeps two rows of clock.Deadline (report in, report back); their due times are
computed by dispatch.whistles with the one calendar. A unit has at most one open sub-task per
case (the database says so); a grid head (a person, not a unit) likewise.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zongzhi.accounts.models import Unit
from zongzhi.cases.models import Case


class UnitContacts(models.Model):
    """The 综治专员 (liaison) and the 分管领导 (leader in charge) a department names: "其他县级
    各部门确定1名分管领导和1名综治专员". Both are active staff accounts of the unit."""

    unit = models.OneToOneField(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="contacts"
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="综治专员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="本单位负责吹哨报到的工作人员，须为本单位账号",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="本单位分管综治工作的领导，须为本单位账号",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "综治专员与分管领导"
        verbose_name_plural = "综治专员与分管领导"
        ordering = ["unit__place__path", "unit__name"]

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        for field in ("liaison", "leader"):
            person = getattr(self, field)
            if person is not None and (person.unit_id != self.unit_id or not person.is_active):
                raise ValidationError({field: "须为本单位的在岗账号"})


class SubTask(models.Model):
    """One department (or a grid head) called on a case: report in (报到) by one due time and
    report back (反馈) its result by another."""

    case = models.ForeignKey(
        Case, verbose_name="纠纷", on_delete=models.CASCADE, related_name="sub_tasks"
    )
    # A department; None for a grid head (网格长), who is called in person.
    unit = models.ForeignKey(
        Unit,
        verbose_name="报到单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_tasks",
    )
    # The responsible person: the unit's liaison when it was called (or the grid head).
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="综治专员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The 多长联调 seat it was called for, if any ("police"), for the roster's label.
    seat = models.CharField("联调席位", max_length=30, blank=True)
    note = models.TextField("吹哨事项")
    whistled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吹哨人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    whistled_at = models.DateTimeField("吹哨时间")
    report_in = models.OneToOneField(
        "clock.Deadline", verbose_name="报到时限", on_delete=models.CASCADE, related_name="+"
    )
    report_back = models.OneToOneField(
        "clock.Deadline", verbose_name="反馈时限", on_delete=models.CASCADE, related_name="+"
    )
    reported_in_at = models.DateTimeField("报到时间", null=True, blank=True)
    reported_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报到人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report_in_note = models.TextField("报到说明", blank=True)
    reported_back_at = models.DateTimeField("反馈时间", null=True, blank=True)
    reported_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.TextField("反馈结果", blank=True)

    class Meta:
        verbose_name = "吹哨报到"
        verbose_name_plural = "吹哨报到"
        ordering = ["whistled_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=Q(reported_back_at__isnull=True, unit__isnull=False),
                name="subtask_one_open_per_unit",
            ),
            models.UniqueConstraint(
                fields=["case", "liaison"],
                condition=Q(reported_back_at__isnull=True, unit__isnull=True),
                name="subtask_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(liaison__isnull=False),
                name="subtask_unit_or_person",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "reported_back_at"], name="subtask_unit_open"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.unit or self.liaison}"

    @property
    def is_open(self) -> bool:
        return self.reported_back_at is None

    @property
    def called_name(self) -> str:
        return self.unit.name if self.unit_id else f"网格长 {self.liaison}"


class SeatKind(models.TextChoices):
    UNIT = "unit", "单位"
    GRID_HEAD = "grid_head", "网格长（网格员）"


class JointCallSeat(models.Model):
    """One seat of the 多长联调 preset roster (网格长、派出所所长、司法所所长、人民法庭庭长、
    检察室主任). A unit seat is filled, for a case, by a unit that may be called on it whose
    department and name match and that sits at the case's township centre or serves its place."""

    key = models.SlugField("代码", max_length=30, unique=True)
    title = models.CharField("席位", max_length=30, help_text="例如：派出所所长")
    office = models.CharField(
        "机构名称", max_length=30, help_text="找不到时提示“本乡镇未配置……”，例如：检察室"
    )
    kind = models.CharField("类型", max_length=12, choices=SeatKind.choices, default=SeatKind.UNIT)
    department = models.CharField(
        "所属部门", max_length=40, blank=True, help_text="单位的“所属部门”须相同；留空不限"
    )
    name_contains = models.CharField(
        "单位名称包含", max_length=30, blank=True, help_text="例如：派出所；留空不限"
    )
    order = models.PositiveSmallIntegerField("顺序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "多长联调席位"
        verbose_name_plural = "多长联调席位"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title
