from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zongzhi.dispatch"
    verbose_name = "分流交办"
