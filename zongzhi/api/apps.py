from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zongzhi.api"
    verbose_name = "接口"
