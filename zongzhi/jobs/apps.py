from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "zongzhi.jobs"
    verbose_name = "后台任务"
