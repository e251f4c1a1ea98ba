from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zongzhi.dispatch"
    verbose_name = "分流交办"

    def ready(self) -> None:
        from zongzhi.cases.selectors import register_involvement
        from zongzhi.dispatch.teams import team_case_ids

        # Members of a cross-area team (一案一专班) see and work the team's case.
        register_involvement("team", team_case_ids)
