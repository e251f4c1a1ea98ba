from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zongzhi.cases"
    verbose_name = "矛盾纠纷"

    def ready(self) -> None:
        from zongzhi.cases import checks  # noqa: F401  (registers the system checks)
