from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "zongzhi.clock"
    verbose_name = "工作日历"
