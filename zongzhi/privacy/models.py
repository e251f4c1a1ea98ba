from django.conf import settings
from django.db import models


class PersonalDataAccess(models.Model):
    """One read of personal data in clear: who saw whose what, when, from where, and why.

    Written by `privacy.access.reveal`, the one path through which unmasked data reaches a
    screen or an export. Rows are never changed.
    """

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查看人",
        on_delete=models.PROTECT,
        related_name="data_accesses",
    )
    subject_type = models.CharField("对象类型", max_length=40)
    subject_id = models.BigIntegerField("对象编号")
    fields = models.CharField("查看字段", max_length=200)
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
