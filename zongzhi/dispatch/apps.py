from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zongzhi.dispatch"
    verbose_name = "分流交办"

    def ready(self) -> None:
        from zongzhi.cases.selectors import register_involvement
        from zongzhi.dispatch.whistles import involved_case_ids

        # A unit called on a case (吹哨报到) is on it, also after it reported back.
        register_involvement("dispatch.sub_tasks", involved_case_ids)
