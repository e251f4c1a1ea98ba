"""Moves of a case between centres (提级, 下交, 转办, 退回, 指定) and their signing (签收).

A move is pending until the receiving centre signs for it or sends it back; the case's
`holding_place` changes only at signing, so until then the sending centre still holds it and
the receiving centre sees it as "to sign for". At most one move per case is pending.
"""

from django.conf import settings
from django.db import models
from django.db.models import Index, Q

from zongzhi.accounts.models import Unit
from zongzhi.cases.models import Case
from zongzhi.places.models import Place


class MoveKind(models.TextChoices):
    ESCALATE = "escalate", "提级"
    DELEGATE = "delegate", "下交"
    TRANSFER = "transfer", "转办"
    RETURN = "return", "退回"
    DESIGNATE = "designate", "指定承办"


class MoveState(models.TextChoices):
    PENDING = "pending", "待签收"
    SIGNED = "signed", "已签收"
    SENT_BACK = "sent_back", "已退回"


class CaseMove(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField("方式", max_length=12, choices=MoveKind.choices)
    state = models.CharField(
        "状态", max_length=12, choices=MoveState.choices, default=MoveState.PENDING
    )
    from_place = models.ForeignKey(
        Place, verbose_name="移出中心", on_delete=models.PROTECT, related_name="+"
    )
    to_place = models.ForeignKey(
        Place, verbose_name="接收中心", on_delete=models.PROTECT, related_name="+"
    )
    # 转办: the unit the case is handed to (its centre is `to_place`).
    unit = models.ForeignKey(
        Unit, verbose_name="转办单位", null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField("理由")
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_at = models.DateTimeField("移交时间")
    sign_due_at = models.DateTimeField("签收时限")
    # A designated centre must take the case: it cannot send it back.
    binding = models.BooleanField("必须签收", default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("签收/退回时间", null=True, blank=True)
    send_back_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "移交"
        verbose_name_plural = "移交记录"
        ordering = ["moved_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state="pending"),
                name="move_one_pending_per_case",
            )
        ]
        indexes = [
            Index(fields=["to_place", "state", "sign_due_at"], name="move_to_state_due"),
            Index(fields=["from_place", "state"], name="move_from_state"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} → {self.to_place}"
