"""Supervision cards (督办单, 黄牌, 红牌): a superior's written demand on a case, answered in
writing by a date. A card never moves the case out of its step; see zongzhi.dispatch.cards.
"""

from django.conf import settings
from django.db import models
from django.db.models import Index, Q

from zongzhi.cases.models import Case
from zongzhi.places.models import Place


class CardGrade(models.TextChoices):
    ORDINARY = "ordinary", "督办单"
    YELLOW = "yellow", "黄牌督办"
    RED = "red", "红牌督办"


# Heaviest first: the "worst grade" of a case's cards is the first of these it has.
GRADE_SEVERITY = (CardGrade.RED, CardGrade.YELLOW, CardGrade.ORDINARY)


class CardState(models.TextChoices):
    ISSUED = "issued", "待回复"
    REPLIED = "replied", "已回复待销号"
    CLOSED = "closed", "已销号"


# A card is open until its issuer closes it (销号), whatever its reply.
OPEN_CARD_STATES = (CardState.ISSUED, CardState.REPLIED)


class CardVerdict(models.TextChoices):
    NONE = "", "—"
    SATISFIED = "satisfied", "满意"
    UNSATISFIED = "unsatisfied", "不满意"


class SupervisionCard(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cards")
    grade = models.CharField("督办等级", max_length=10, choices=CardGrade.choices)
    state = models.CharField(
        "状态", max_length=10, choices=CardState.choices, default=CardState.ISSUED
    )
    text = models.TextField("督办要求")
    # The case's step when the card was issued (the card never changes it).
    issued_at_status = models.CharField("督办时环节", max_length=20)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The centre in whose name the card is issued (the issuer's node; the escalation sweep's
    # cards have no issuer but a centre).
    issuing_place = models.ForeignKey(
        Place, verbose_name="督办单位", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("督办时间")
    # The reply's due time lives in the one table of due times (clock.Deadline).
    reply_deadline = models.OneToOneField(
        "clock.Deadline", verbose_name="回复时限", on_delete=models.PROTECT, related_name="card"
    )
    reply = models.TextField("书面回复", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    verdict = models.CharField(
        "销号评价", max_length=12, choices=CardVerdict.choices, blank=True, default=""
    )
    close_note = models.TextField("销号意见", blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    # Why the card exists, when a machine issued it ("sweep:<deadline>:<version>"): at most one
    # card per case and source, decided by the database (insert first).
    source = models.CharField("来源", max_length=120, blank=True, default="")

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source"],
                condition=~Q(source=""),
                name="card_one_per_case_source",
            )
        ]
        indexes = [
            Index(fields=["case", "state"], name="card_case_state"),
            Index(fields=["state", "grade"], name="card_state_grade"),
            Index(fields=["issuing_place", "state"], name="card_issuer_place_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CARD_STATES
