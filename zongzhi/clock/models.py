"""The working-day calendar as data: which dates are public holidays or make-up working days.

A date not listed here is a working day on Monday to Friday and a rest day at the weekend. Rows
with a place apply only to cases in that place's subtree (local holidays of autonomous
prefectures); rows without one apply everywhere. A year counts as known only once an
administrator has confirmed it (`CalendarYear.confirmed`); seeding confirms the years it loads.
"""

from django.db import models


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
