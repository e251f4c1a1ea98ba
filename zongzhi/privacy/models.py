from django.conf import settings
from django.db import models


class PersonalDataAccess(models.Model):
    """One read of personal data: who saw whose what, when, from where, and why.

    `kind` tells a reveal in clear (written by `privacy.access.reveal` and `reveal_case_text`,
    the paths through which unmasked data reaches a screen or an export) from an opening of
    a case's detail, masked (`privacy.access.log_case_view`). Rows are never changed.
    """

    class Kind(models.TextChoices):
        REVEALED = "revealed", "查看明文"
        VIEWED_CASE = "viewed_case", "查看纠纷详情"

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查看人",
        on_delete=models.PROTECT,
        related_name="data_accesses",
    )
    subject_type = models.CharField("对象类型", max_length=40)
    subject_id = models.BigIntegerField("对象编号")
    kind = models.CharField(
        "类别", max_length=20, choices=Kind.choices, default=Kind.REVEALED, db_index=True
    )
    fields = models.CharField("查看字段", max_length=200, blank=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    place_path = models.CharField("所属地点路径", max_length=255)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    accessed_at = models.DateTimeField("查看时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-accessed_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="access_subject")]

    def __str__(self) -> str:
        return f"{self.viewer} {self.subject_type}#{self.subject_id} {self.fields}"
