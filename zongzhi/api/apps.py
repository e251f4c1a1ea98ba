from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zongzhi.api"
    verbose_name = "接口"

    def ready(self) -> None:
        from zongzhi.api import signals  # noqa: F401  (connects the token revocation)
