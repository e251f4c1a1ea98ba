from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zongzhi.cases"
    verbose_name = "矛盾纠纷"
