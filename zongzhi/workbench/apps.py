from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "zongzhi.workbench"
    verbose_name = "工作台"
