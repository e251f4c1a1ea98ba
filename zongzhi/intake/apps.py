from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "zongzhi.intake"
    verbose_name = "受理登记"
