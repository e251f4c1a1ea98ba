from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zongzhi.notify"
    verbose_name = "消息通知"
