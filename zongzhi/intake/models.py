"""What intake keeps beside the case: receipts that make retries safe, ratings, rate counters."""

from django.db import models

from zongzhi.cases.models import Case


class SubmissionReceipt(models.Model):
    """The first result of a submission, found again by its idempotency key.

    Written in the same transaction as the case, so a retry after a crash finds either
    nothing (and files the case) or the whole case (and returns it). A key is scoped to its
    submitter (an Open311 client, a staff account, a citizen's phone), so that one
    submitter's key never returns or blocks another's case.
    """

    channel = models.CharField(max_length=20)
    # "open311-client:<id>", "user:<id>" or "phone:<keyed hash>" (intake.services).
    submitter = models.CharField(max_length=80)
    key = models.CharField(max_length=120)
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="receipts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "提交回执"
        verbose_name_plural = "提交回执"
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "submitter", "key"], name="receipt_unique_submitter_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.submitter}:{self.key} → {self.case_id}"


class CitizenRating(models.Model):
    """The party's satisfaction with one round of handling (a reopened case is rated again)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(help_text="the case's reopen_count when rated")
    score = models.PositiveSmallIntegerField("满意度")
    comment = models.CharField("评价", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "群众评价"
        verbose_name_plural = "群众评价"
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="rating_once_per_round"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.score}"

    @property
    def stars(self) -> str:
        return "★" * self.score + "☆" * (5 - self.score)


class RateCounter(models.Model):
    """Requests counted per key and fixed time window (see intake.ratelimit)."""

    bucket = models.CharField(max_length=120)
    window_start = models.BigIntegerField(help_text="seconds since the epoch")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window_start"], name="rate_counter_unique")
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.bucket}@{self.window_start}: {self.hits}"
