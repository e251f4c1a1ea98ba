"""一案一策: the plan of a key case, as measures each with a responsible person and a date,
tracked like sub-tasks (a clock.Deadline each, met with a note)."""

from django.db import models


class PlanItem(models.Model):
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="plan_items"
    )
    measure = models.CharField("措施", max_length=300)
    person = models.ForeignKey(
        "accounts.User",
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    deadline = models.OneToOneField(
        "clock.Deadline", verbose_name="时限", on_delete=models.PROTECT, related_name="plan_item"
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="制定人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("制定时间")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_note = models.TextField("完成情况", blank=True)

    class Meta:
        verbose_name = "一案一策措施"
        verbose_name_plural = "一案一策措施"
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["person", "done_at"], name="planitem_person_done")]

    def __str__(self) -> str:
        return self.measure
