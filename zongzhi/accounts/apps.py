from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zongzhi.accounts"
    verbose_name = "人员与单位"

    def ready(self) -> None:
        from zongzhi.accounts.lockout import label_axes_admin

        label_axes_admin()
