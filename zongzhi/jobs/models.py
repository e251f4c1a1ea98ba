from django.db import models


class PeriodicJob(models.Model):
    """When a periodic job was last handed to the task queue (see jobs.scheduler)."""

    name = models.CharField(max_length=80, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"

    def __str__(self) -> str:
        return self.name
